/** Timeline markers: named points the playhead and drags snap to. Kept sorted by time, then id. */
import { cutroomError } from '../../errors.js';
import { MarkerSchema, type Marker, type Timeline } from '../schema.js';
import { collectIds, freshId, notApplicable } from './doc-access.js';
import { parsePart } from './parse-part.js';

function sorted(markers: Marker[]): Marker[] {
  return markers.sort((a, b) => a.time_ms - b.time_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function addMarker(
  doc: Timeline,
  args: { time_ms: number; label?: string; id?: string },
): { doc: Timeline; marker_id: string } {
  const taken = collectIds(doc);
  if (args.id !== undefined && taken.has(args.id))
    notApplicable('id_taken', `id "${args.id}" is already used`, { id: args.id });
  const id = args.id ?? freshId('marker', taken);
  const markers = doc.markers ?? [];
  const marker = parsePart(MarkerSchema, { id, time_ms: args.time_ms, label: args.label ?? '' }, [
    'markers',
    markers.length,
  ]);
  return { doc: { ...doc, markers: sorted([...markers, marker]) }, marker_id: id };
}

function requireMarker(doc: Timeline, id: string): number {
  const i = (doc.markers ?? []).findIndex((m) => m.id === id);
  if (i < 0) throw cutroomError('EDIT_TARGET_NOT_FOUND', `no marker "${id}" in the timeline`, { id });
  return i;
}

export function updateMarker(
  doc: Timeline,
  args: { marker_id: string; time_ms?: number; label?: string },
): { doc: Timeline } {
  const i = requireMarker(doc, args.marker_id);
  const current = doc.markers![i]!;
  const next = parsePart(
    MarkerSchema,
    {
      ...current,
      ...(args.time_ms !== undefined ? { time_ms: args.time_ms } : {}),
      ...(args.label !== undefined ? { label: args.label } : {}),
    },
    ['markers', i],
  );
  return { doc: { ...doc, markers: sorted(doc.markers!.map((m, k) => (k === i ? next : m))) } };
}

export function removeMarker(doc: Timeline, args: { marker_id: string }): { doc: Timeline } {
  const i = requireMarker(doc, args.marker_id);
  return { doc: { ...doc, markers: doc.markers!.filter((_, k) => k !== i) } };
}
