import { createRandom, STREAM } from '../../data/random';
import { detectionDatasets } from '../../registry';
import { defaultShapesOptions, generateShapesScene, ShapesScene, SHAPE_CLASSES } from '../shapes';
import type { DetectionImage } from '../types';
import type { DetectionDatasetOptions, LoadedSplit } from './types';

type ShapesOptions = DetectionDatasetOptions & { images: number; size: number; maxShapes: number; seed?: number };

/**
 * The synthetic shapes scenes generated in memory, so a detection run needs no data step. The same seed and options
 * give the same scenes, in the same order and splits, as `acaf detection shapes` writes (every fifth image is a
 * test image), but without its JPEG round trip.
 */
detectionDatasets.register<ShapesOptions>({
  name: 'shapes',
  description: 'synthetic coloured rectangles, ellipses and triangles with exact boxes, generated in memory (offline quickstart, tests)',
  options: {
    images: { type: 'integer', minimum: 5, default: 400, description: 'images in all; every fifth one is a test image' },
    size: { type: 'integer', minimum: 16, default: 64, description: 'image side in pixels' },
    maxShapes: { type: 'integer', minimum: 1, default: 4, description: 'at most this many shapes per image' },
    seed: { type: 'integer', minimum: 0, description: 'fixes the scenes whatever the run seed; default: the run seed' },
  },
  build: async (options, { seed }) => {
    const random = createRandom(options.seed ?? seed, STREAM.synthetic);
    const shapesOptions = { ...defaultShapesOptions(options.size), maxShapes: options.maxShapes };
    const scenes = Array.from({ length: options.images }, () => generateShapesScene(random, shapesOptions));
    const split = (test: boolean) =>
      toSplit(scenes.flatMap((scene, index) => ((index % 5 === 4) === test ? [{ scene, id: index + 1 }] : [])));
    return { train: split(false), test: split(true) };
  },
});

function toSplit(scenes: { scene: ShapesScene; id: number }[]): LoadedSplit {
  const images = scenes.map(({ scene, id }): DetectionImage => {
    const count = scene.objects.length;
    return {
      id,
      file: `shapes/shape_${String(id).padStart(6, '0')}.png`,
      width: scene.image.width,
      height: scene.image.height,
      boxes: Float32Array.from(scene.objects.flatMap((object) => object.box)),
      labels: Int32Array.from(scene.objects, (object) => object.label),
      difficult: new Uint8Array(count),
      truncated: new Uint8Array(count),
      crowd: new Uint8Array(count),
    };
  });
  return {
    dataset: { name: 'shapes', classes: SHAPE_CLASSES, categoryIds: SHAPE_CLASSES.map((_, label) => label + 1), images },
    samples: images.map((annotations, i) => ({ image: scenes[i].scene.image, annotations })),
  };
}
