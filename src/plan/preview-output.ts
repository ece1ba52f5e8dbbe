/**
 * The canvas of a preview made for a render profile: the profile's aspect and frame rate at preview size, so a
 * preview lays out every clip, transform and text layer where the render puts them (positions are fractions of
 * the canvas and text sizes scale with its height), only smaller. The short side is 360 px, unless that makes
 * the long side exceed 640 px (1920x1080 -> 640x360, 1080x1920 -> 360x640, 1080x1080 -> 360x360,
 * 1080x1350 -> 360x450); both even, as H.264 4:2:0 requires.
 *
 * The preview still encodes with the fast draft profile; these are output overrides on top of it.
 */
import type { OutputOptions } from './output/output-options.js';
import type { RenderProfile } from './profiles.js';

export const PREVIEW_SHORT_SIDE = 360;
export const PREVIEW_LONG_SIDE = 640;

/** The preview canvas for a picture of `width`x`height` (Studio lays out its stand-ins with the same numbers). */
export function previewCanvasFor(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(
    1,
    PREVIEW_SHORT_SIDE / Math.min(width, height),
    PREVIEW_LONG_SIDE / Math.max(width, height),
  );
  const even = (v: number) => Math.max(16, 2 * Math.round((v * scale) / 2));
  return { width: even(width), height: even(height) };
}

export function previewOutputFor(
  profile: RenderProfile,
): Required<Pick<OutputOptions, 'width' | 'height' | 'fps'>> {
  return { ...previewCanvasFor(profile.width, profile.height), fps: { num: profile.fps.num, den: profile.fps.den } };
}
