import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import { drawDetections } from '../detection/draw-detections';
import { runPaths } from '../run-directory';
import { detectWithRun } from '../tasks/detection/run-detector';
import type { RunRecord } from './types';

/** Test images drawn per detection run, and detection runs shown (the report stays small and quick). */
const IMAGES_PER_RUN = 4;
const RUNS_SHOWN = 4;

/**
 * For detection runs with a best checkpoint: the first test images with the run's detections (score >= 0.3) and the
 * ground truth drawn, as `acaf detect` draws them. A run whose dataset cannot be loaded here is left out with a note.
 */
export async function detectionImages(records: RunRecord[]): Promise<{ images: { title: string; pngs: Buffer[] }[]; notes: string[] }> {
  const runs = records.filter(
    (record) => record.config.task === 'detection' && fs.existsSync(`${runPaths(record.dir).checkpoint('best')}/model.json`),
  );
  const images = [];
  const notes = [];
  if (runs.length) await tf.setBackend('cpu');
  for (const record of runs.slice(0, RUNS_SHOWN)) {
    try {
      const { split, detections } = await detectWithRun(record.dir, ['test'], {
        checkpoint: 'best',
        batchSize: IMAGES_PER_RUN,
        limit: IMAGES_PER_RUN,
      });
      const pngs = [];
      for (const [i, found] of detections.entries()) {
        const { classes } = split.dataset;
        pngs.push(
          await drawDetections({
            image: split.samples[i].image,
            detections: found,
            truth: split.dataset.images[i],
            classes,
            minScore: 0.3,
          }),
        );
      }
      images.push({ title: `Detections of ${record.dir} (best checkpoint; ground truth dashed, score >= 0.3)`, pngs });
    } catch (error) {
      notes.push(`no detection images for ${record.dir}: ${(error as Error).message}`);
    }
  }
  if (runs.length > RUNS_SHOWN) notes.push(`detection images shown for the first ${RUNS_SHOWN} of ${runs.length} detection runs`);
  return { images, notes };
}
