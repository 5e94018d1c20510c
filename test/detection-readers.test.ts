import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { readCocoDataset } from '../src/detection/coco';
import { evaluateCoco } from '../src/detection/coco-eval';
import { readCocoInstances } from '../src/detection/coco-format';
import { toCocoResults, writeCocoResults } from '../src/detection/coco-results';
import { readRgbImage } from '../src/detection/image-io';
import { readVocDataset, VOC_CLASSES } from '../src/detection/voc';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-detection-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function writeJpeg(file: string, width: number, height: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } })
    .jpeg()
    .toFile(file);
}

/** A VOC2007 annotation as the devkit ships it: source/owner blocks, a person with <part> boxes, a difficult chair. */
const VOC_XML_000005 = `<annotation>
	<folder>VOC2007</folder>
	<filename>000005.jpg</filename>
	<source><database>The VOC2007 Database</database><annotation>PASCAL VOC2007</annotation><image>flickr</image><flickrid>325991873</flickrid></source>
	<owner><flickrid>archintent louisville</flickrid><name>?</name></owner>
	<size><width>500</width><height>375</height><depth>3</depth></size>
	<segmented>0</segmented>
	<object><name>chair</name><pose>Rear</pose><truncated>0</truncated><difficult>0</difficult>
		<bndbox><xmin>263</xmin><ymin>211</ymin><xmax>324</xmax><ymax>339</ymax></bndbox></object>
	<object><name>chair</name><pose>Unspecified</pose><truncated>1</truncated><difficult>1</difficult>
		<bndbox><xmin>5</xmin><ymin>244</ymin><xmax>67</xmax><ymax>374</ymax></bndbox></object>
	<object><name>person</name><pose>Left</pose><truncated>1</truncated><difficult>0</difficult>
		<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>100.5</xmax><ymax>200</ymax></bndbox>
		<part><name>head</name><bndbox><xmin>40</xmin><ymin>10</ymin><xmax>60</xmax><ymax>30</ymax></bndbox></part></object>
</annotation>`;

/** VOC2012 style, one object (a lone <object> must still read as a list) and no <difficult> tag. */
const VOC_XML_2008 = `<annotation><filename>2008_000008.jpg</filename><folder>VOC2012</folder>
	<object><name>horse</name><bndbox><xmin>53</xmin><ymin>87</ymin><xmax>471</xmax><ymax>420</ymax></bndbox><truncated>0</truncated></object>
	<size><depth>3</depth><height>442</height><width>500</width></size></annotation>`;

async function writeVoc(files: Record<string, string>, split = 'trainval'): Promise<void> {
  fs.mkdirSync(path.join(root, 'Annotations'), { recursive: true });
  fs.mkdirSync(path.join(root, 'ImageSets', 'Main'), { recursive: true });
  for (const [id, xml] of Object.entries(files)) {
    fs.writeFileSync(path.join(root, 'Annotations', `${id}.xml`), xml);
    await writeJpeg(path.join(root, 'JPEGImages', `${id}.jpg`), 8, 6);
  }
  fs.writeFileSync(path.join(root, 'ImageSets', 'Main', `${split}.txt`), `${Object.keys(files).join('\n')}\n`);
}

describe('PASCAL VOC reader', () => {
  test('reads boxes (1-based inclusive -> continuous), classes, difficult and truncated exactly', async () => {
    await writeVoc({ '000005': VOC_XML_000005, '2008_000008': VOC_XML_2008 });
    const dataset = readVocDataset({ root, split: 'trainval' });
    expect(dataset.classes).toEqual(VOC_CLASSES);
    expect(dataset.images.map((image) => [image.id, path.basename(image.file), image.width, image.height])).toEqual([
      [0, '000005.jpg', 500, 375],
      [1, '2008_000008.jpg', 500, 442],
    ]);
    const [first, second] = dataset.images;
    expect(Array.from(first.boxes)).toEqual([262, 210, 324, 339, 4, 243, 67, 374, 0, 0, 100.5, 200]);
    expect(Array.from(first.labels)).toEqual([8, 8, 14]); // chair, chair, person (the <part> head is not an object)
    expect(Array.from(first.difficult)).toEqual([0, 1, 0]);
    expect(Array.from(first.truncated)).toEqual([0, 1, 1]);
    expect(Array.from(first.crowd)).toEqual([0, 0, 0]);
    expect(Array.from(second.boxes)).toEqual([52, 86, 471, 420]);
    expect(Array.from(second.labels)).toEqual([12]);
    expect(Array.from(second.difficult)).toEqual([0]);
  });

  test('errors name the file: missing image set, annotation, image; malformed XML; unknown class', async () => {
    await writeVoc({ '000005': VOC_XML_000005 });
    expect(() => readVocDataset({ root, split: 'test' })).toThrow(/missing file .*ImageSets.Main.test\.txt/);
    fs.writeFileSync(path.join(root, 'ImageSets', 'Main', 'val.txt'), '000005\n000007\n');
    expect(() => readVocDataset({ root, split: 'val' })).toThrow(/val\.txt:2: image id "000007" has no annotation file .*000007\.xml$/);
    fs.writeFileSync(path.join(root, 'Annotations', '000007.xml'), '<annotation><size><width>5</width>');
    expect(() => readVocDataset({ root, split: 'val' })).toThrow(/000007\.xml: malformed XML/);
    fs.writeFileSync(path.join(root, 'Annotations', '000007.xml'), VOC_XML_000005.replace('000005.jpg', '000007.jpg'));
    expect(() => readVocDataset({ root, split: 'val' })).toThrow(/000007\.xml: image file .*000007\.jpg does not exist/);
    await writeJpeg(path.join(root, 'JPEGImages', '000007.jpg'), 4, 4);
    fs.writeFileSync(path.join(root, 'Annotations', '000007.xml'), VOC_XML_000005.replace('<name>person</name>', '<name>unicorn</name>'));
    expect(() => readVocDataset({ root, split: 'val' })).toThrow(/000007\.xml: unknown class 'unicorn'/);
    fs.writeFileSync(path.join(root, 'Annotations', '000007.xml'), VOC_XML_000005.replace('<xmax>324</xmax>', '<xmax>abc</xmax>'));
    expect(() => readVocDataset({ root, split: 'val' })).toThrow(/000007\.xml: object 1 <bndbox> <xmax> is missing or not a number/);
  });
});

describe('image decoding', () => {
  test('decodes JPEG and greyscale PNG to RGB; a corrupt or missing file is an error naming it', async () => {
    const jpeg = path.join(root, 'a.jpg');
    await writeJpeg(jpeg, 7, 5);
    const image = await readRgbImage(jpeg);
    expect([image.width, image.height, image.pixels.length]).toEqual([7, 5, 7 * 5 * 3]);
    expect(Math.abs(image.pixels[0] - 200)).toBeLessThan(6);
    const grey = path.join(root, 'g.png');
    await sharp(Buffer.from([0, 128, 255, 64]), { raw: { width: 2, height: 2, channels: 1 } })
      .png()
      .toFile(grey);
    expect(Array.from((await readRgbImage(grey)).pixels.subarray(0, 6))).toEqual([0, 0, 0, 128, 128, 128]);
    const corrupt = path.join(root, 'bad.jpg');
    fs.writeFileSync(corrupt, Buffer.from([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
    await expect(readRgbImage(corrupt)).rejects.toThrow(/cannot decode image .*bad\.jpg/);
    await expect(readRgbImage(path.join(root, 'none.jpg'))).rejects.toThrow(/missing image file .*none\.jpg/);
  });
});

function cocoInstances() {
  return {
    info: { description: 'test' },
    images: [
      { id: 42, file_name: '000000000042.jpg', width: 640, height: 480 },
      { id: 7, file_name: '000000000007.jpg', width: 320, height: 240 },
    ],
    // Category ids unsorted and with gaps, as in COCO (1..90 for 80 classes).
    categories: [
      { id: 90, name: 'toothbrush', supercategory: 'indoor' },
      { id: 1, name: 'person', supercategory: 'person' },
      { id: 18, name: 'dog', supercategory: 'animal' },
    ],
    annotations: [
      {
        id: 1,
        image_id: 42,
        category_id: 18,
        bbox: [10.5, 20.25, 100, 50],
        area: 4000,
        iscrowd: 0,
        segmentation: [[10.5, 20.25, 110.5, 20.25, 110.5, 70.25]],
      },
      {
        id: 2,
        image_id: 42,
        category_id: 1,
        bbox: [0, 0, 640, 480],
        area: 200000,
        iscrowd: 1,
        segmentation: { counts: [0, 10], size: [480, 640] },
      },
      { id: 3, image_id: 42, category_id: 90, bbox: [5, 6, 7, 8], area: 40, iscrowd: 0 },
    ],
  };
}

async function writeCoco(instances: object = cocoInstances()): Promise<string> {
  const file = path.join(root, 'annotations', 'instances_val2017.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(instances));
  for (const name of ['000000000042.jpg', '000000000007.jpg']) await writeJpeg(path.join(root, 'val2017', name), 4, 3);
  return file;
}

describe('COCO reader', () => {
  test('maps category ids to contiguous labels by id, converts boxes, keeps crowd flags and empty images', async () => {
    const annotationFile = await writeCoco();
    const dataset = readCocoDataset({ annotationFile, imageDir: path.join(root, 'val2017') });
    expect(dataset.classes).toEqual(['person', 'dog', 'toothbrush']);
    expect(dataset.categoryIds).toEqual([1, 18, 90]);
    const [withBoxes, empty] = dataset.images;
    expect([withBoxes.id, withBoxes.width, withBoxes.height, path.basename(withBoxes.file)]).toEqual([42, 640, 480, '000000000042.jpg']);
    expect(Array.from(withBoxes.boxes)).toEqual([10.5, 20.25, 110.5, 70.25, 0, 0, 640, 480, 5, 6, 12, 14]);
    expect(Array.from(withBoxes.labels)).toEqual([1, 0, 2]);
    expect(Array.from(withBoxes.crowd)).toEqual([0, 1, 0]);
    expect(Array.from(withBoxes.difficult)).toEqual([0, 0, 0]);
    expect([empty.id, empty.labels.length, empty.boxes.length]).toEqual([7, 0, 0]);
  });

  test('errors name the file and the offending id', async () => {
    const imageDir = path.join(root, 'val2017');
    const broken = cocoInstances();
    broken.annotations[2].image_id = 5;
    const brokenFile = await writeCoco(broken);
    expect(() => readCocoDataset({ annotationFile: brokenFile, imageDir })).toThrow(
      /instances_val2017\.json: annotation 3 refers to unknown image_id 5/,
    );
    const unknownCategory = cocoInstances();
    unknownCategory.annotations[0].category_id = 3;
    const unknownCategoryFile = await writeCoco(unknownCategory);
    expect(() => readCocoDataset({ annotationFile: unknownCategoryFile, imageDir })).toThrow(
      /annotation 1 refers to unknown category_id 3/,
    );
    const badBox = cocoInstances();
    (badBox.annotations[1] as { bbox: unknown }).bbox = [1, 2, 3];
    const badBoxFile = await writeCoco(badBox);
    expect(() => readCocoDataset({ annotationFile: badBoxFile, imageDir })).toThrow(/annotation 2: bbox must be \[x, y, width, height\]/);
    const annotationFile = await writeCoco();
    fs.rmSync(path.join(imageDir, '000000000007.jpg'));
    expect(() => readCocoDataset({ annotationFile, imageDir })).toThrow(/image 7 file .*000000000007\.jpg does not exist/);
    fs.writeFileSync(annotationFile, '{"images": [');
    expect(() => readCocoDataset({ annotationFile, imageDir })).toThrow(/instances_val2017\.json: not valid JSON/);
    fs.writeFileSync(annotationFile, '{"images": []}');
    expect(() => readCocoDataset({ annotationFile, imageDir })).toThrow(/not a COCO instances file \(no 'annotations' array\)/);
  });

  test('detections written in COCO results format evaluate back to a perfect score', async () => {
    const annotationFile = await writeCoco();
    const dataset = readCocoDataset({ annotationFile, imageDir: path.join(root, 'val2017') });
    const detections = dataset.images.map((image) => ({
      imageId: image.id,
      boxes: image.boxes,
      scores: Float32Array.from(image.labels, (_, i) => 0.9 - i / 10),
      labels: image.labels,
    }));
    const results = toCocoResults(detections, dataset.categoryIds);
    expect(results[0]).toEqual({ image_id: 42, category_id: 18, bbox: [10.5, 20.25, 100, 50], score: 0.9 });
    const file = path.join(root, 'detections.json');
    writeCocoResults(file, results);
    const { summary } = evaluateCoco(readCocoInstances(annotationFile), JSON.parse(fs.readFileSync(file, 'utf8')));
    expect(summary.AP).toBeCloseTo(1, 12); // the crowd box is ignored, its "detection" lies inside it
  });
});
