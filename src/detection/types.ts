/**
 * Detection data in memory. Boxes are `[x1, y1, x2, y2]` in continuous pixel coordinates with the origin at the
 * top-left corner of the top-left pixel, so pixel column i covers [i, i + 1) and a box's width is x2 - x1.
 * - COCO's `[x, y, w, h]` is already continuous: x1 = x, x2 = x + w.
 * - VOC's `<xmin>..<xmax>` are 1-based inclusive pixel indices: x1 = xmin - 1, x2 = xmax (see voc.ts).
 */

/** An RGB image, height * width * 3 bytes, row-major HWC. */
export interface RgbImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** The boxes of one image and their per-box fields, all of the same length (count). */
export interface BoxAnnotations {
  /** 4 * count floats: x1, y1, x2, y2 per box. */
  boxes: Float32Array;
  /** count class indices in [0, classes.length). */
  labels: Int32Array;
  /** VOC `difficult` (1 = excluded from VOC evaluation); 0 for COCO. */
  difficult: Uint8Array;
  /** VOC `truncated`; 0 for COCO. */
  truncated: Uint8Array;
  /** COCO `iscrowd` (1 = a crowd region, ignored by COCO evaluation); 0 for VOC. */
  crowd: Uint8Array;
}

/** An image with its boxes, as augmentation and letterboxing transform them together. */
export interface DetectionSample {
  image: RgbImage;
  annotations: BoxAnnotations;
}

/** One annotated image; the pixels stay on disk until a batch needs them (`readRgbImage(file)`). */
export interface DetectionImage extends BoxAnnotations {
  /** VOC: position in the image-set file; COCO: the image's `id`. */
  id: number;
  /** Absolute path of the image file. */
  file: string;
  width: number;
  height: number;
}

export interface DetectionDataset {
  name: string;
  classes: string[];
  /** COCO category id of each class index (for writing results); VOC: 1..20 by position. */
  categoryIds: number[];
  images: DetectionImage[];
}

/** The detections of one image, in the same coordinates as its annotations. */
export interface ImageDetections {
  imageId: number;
  /** 4 * count floats. */
  boxes: Float32Array;
  scores: Float32Array;
  /** Class indices. */
  labels: Int32Array;
}
