/**
 * Data shapes of the face-regions engine. Every coordinate is a fraction of the frame (0..1, origin top-left),
 * so a summary made on a downscaled copy applies unchanged to the full-size video.
 */

/** Axis-aligned box: top-left corner and size, all in 0..1 of the frame. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Point {
  x: number;
  y: number;
}

/** MediaPipe's six face keypoints; "right" is the subject's right (the left side of an unmirrored image). */
export interface FaceKeypoints {
  right_eye: Point;
  left_eye: Point;
  nose: Point;
  mouth: Point;
  right_ear: Point;
  left_ear: Point;
}

export const KEYPOINT_NAMES = ['right_eye', 'left_eye', 'nose', 'mouth', 'right_ear', 'left_ear'] as const;

/** One face found in one frame by a detector backend. */
export interface Detection {
  box: Box;
  /** Detector confidence 0..1. */
  score: number;
  keypoints: FaceKeypoints;
}

/** A decoded RGB frame (3 bytes per pixel, rows packed, no padding). */
export interface RgbFrame {
  data: Buffer;
  width: number;
  height: number;
}

export type RegionName = 'face' | 'eyes' | 'mouth';

export const REGION_NAMES: readonly RegionName[] = ['face', 'eyes', 'mouth'];

export interface FaceRegions {
  face: Box;
  eyes?: Box;
  mouth?: Box;
}

export interface SummaryFace {
  track_id: string;
  box: Box;
  score: number;
  keypoints: FaceKeypoints;
  regions: FaceRegions;
  /** True when the detector missed this face at this sample and the tracker extrapolated the box. */
  held?: boolean;
}

export interface SummarySample {
  t_ms: number;
  faces: SummaryFace[];
}

export interface TrackSpan {
  id: string;
  /** Time of the track's first and last real detection. */
  first_ms: number;
  last_ms: number;
}

export interface RegionSummary {
  frame_sample_interval_ms: number;
  /** Size of the analysed media (display size), for turning fractions into pixels. */
  width: number;
  height: number;
  fps: number;
  samples: SummarySample[];
  tracks: TrackSpan[];
  /** Present (true) only when the stub backend made this summary: its faces are placeholders. */
  stub?: true;
}
