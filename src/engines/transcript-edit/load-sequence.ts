/**
 * The sequence an edit assist works on, checked and measured: a stored project's sequence or an inline timeline,
 * its speech track (`track_id`, or the first video track with clips, else the first audio track), and per clip
 * its asset (the caller's, with audio), source range, transcript and level envelope. Every refusal names the
 * request field path: `timeline.tracks[0].clips[2].speed`, `project.sequences[0].tracks[1].transitions[0]`,
 * `transcripts.c7`.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, isCutroomError, type Warning } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import type { Transcript } from '../../plan/captions/transcript.js';
import type { LevelEnvelope, SequenceClipSource } from '../../plan/transcript-edit/index.js';
import type { MediaClip, Sequence, Track } from '../../timeline/index.js';
import { loadEditTranscript } from './load-transcript.js';
import { measureLevels } from './measure-levels.js';

export type SpeechTrack = Extract<Track, { kind: 'video' | 'overlay' | 'audio' }>;

export interface LoadedSequenceClip extends SequenceClipSource {
  /** Request path of the clip, e.g. `timeline.tracks[0].clips[2]`. */
  path: string;
  transcriptArtifact?: Artifact;
  envelope: LevelEnvelope;
}

export interface LoadedSequence {
  clips: LoadedSequenceClip[];
  track: SpeechTrack;
  sourceClips: Map<string, MediaClip>;
  hasVideo: boolean;
  /** `timeline` or `project.sequences[k]`. */
  path: string;
  warnings: Warning[];
  /** Provenance for the result's meta. */
  source: { project_id?: string; sequence_id: string; track_id: string };
}

/** Clip fields an edit cannot carry onto pieces of the clip: refused. */
const REFUSED: Array<{ key: keyof MediaClip; why: string; applies: (c: MediaClip) => boolean }> = [
  { key: 'speed', why: 'only speed 1 clips can be edited by their words (the transcript is at speed 1)', applies: (c) => c.speed !== 1 },
  { key: 'reverse', why: 'a reversed clip plays its words backwards', applies: (c) => c.reverse },
  { key: 'freeze_at_ms', why: 'a freeze frame has no words', applies: (c) => c.freeze_at_ms !== undefined },
  { key: 'duration_ms', why: 'a clip with its own duration (still, loop) is not a range of a recording', applies: (c) => c.duration_ms !== undefined },
  { key: 'generator', why: 'a generator clip has no recording', applies: (c) => c.generator !== undefined },
  { key: 'loop', why: 'a looped clip repeats its words', applies: (c) => c.loop === true },
  { key: 'matte', why: 'a matte clip is not speech', applies: (c) => c.matte !== undefined },
];
/** Clip fields whose timing is relative to the clip: dropped from the pieces, with a warning. */
const DROPPED = ['automation', 'motion', 'transition_in', 'transition_out', 'slowmo_quality'] as const;

function invalid(message: string, issues: Array<{ path: string; message: string }>) {
  return cutroomError('EDIT_SEQUENCE_INVALID', message, { issues });
}

function pickTrack(seq: Sequence, trackId: string | undefined, path: string): { track: SpeechTrack; index: number } {
  if (trackId !== undefined) {
    const index = seq.tracks.findIndex((t) => t.id === trackId);
    const track = seq.tracks[index];
    if (!track)
      throw invalid(`track_id: no track ${trackId} in ${path} (tracks: ${seq.tracks.map((t) => t.id).join(', ') || 'none'})`, [
        { path: 'track_id', message: `no track ${trackId}` },
      ]);
    if (track.kind === 'text' || track.kind === 'caption')
      throw invalid(`track_id: track ${trackId} is a ${track.kind} track, not video or audio`, [
        { path: 'track_id', message: `a ${track.kind} track has no recording` },
      ]);
    return { track, index };
  }
  const media = seq.tracks.map((t, index) => ({ t, index })).filter((x) => (x.t.kind === 'video' || x.t.kind === 'audio') && x.t.clips.length > 0);
  const found = media.find((x) => x.t.kind === 'video') ?? media[0];
  if (!found)
    throw invalid(`${path} has no video or audio track with clips to edit`, [{ path: `${path}.tracks`, message: 'no clips to edit' }]);
  return { track: found.t as SpeechTrack, index: found.index };
}

export async function loadEditSequence(input: {
  services: Pick<Services, 'assets' | 'artifacts' | 'projects'>;
  ctx: RequestContext;
  body: {
    project_id?: string | undefined;
    sequence_id?: string | undefined;
    timeline?: Sequence | undefined;
    track_id?: string | undefined;
    transcripts?: Record<string, string> | undefined;
  };
  /** `required`: every clip needs a real transcript; `optional`: clips without one have no words; `none`: none read. */
  transcripts: 'required' | 'optional' | 'none';
  signal?: AbortSignal;
}): Promise<LoadedSequence> {
  const { services, ctx, body } = input;
  let seq: Sequence;
  let path: string;
  let projectId: string | undefined;
  if (body.project_id !== undefined) {
    const project = await services.projects.getProject(ctx, body.project_id);
    const k = body.sequence_id === undefined ? 0 : project.document.sequences.findIndex((s) => s.id === body.sequence_id);
    const found = project.document.sequences[k];
    if (!found)
      throw invalid(
        body.sequence_id === undefined
          ? `project_id: project ${project.id} has no sequence`
          : `sequence_id: project ${project.id} has no sequence ${body.sequence_id} (sequences: ${project.document.sequences.map((s) => s.id).join(', ')})`,
        [{ path: body.sequence_id === undefined ? 'project_id' : 'sequence_id', message: 'no such sequence' }],
      );
    seq = found;
    path = `project.sequences[${k}]`;
    projectId = project.id;
  } else {
    seq = body.timeline!;
    path = 'timeline';
  }
  const { track, index } = pickTrack(seq, body.track_id, path);
  const trackPath = `${path}.tracks[${index}]`;
  const issues: Array<{ path: string; message: string }> = [];
  const warnings: Warning[] = [];
  track.transitions.forEach((t, i) =>
    issues.push({
      path: `${trackPath}.transitions[${i}]`,
      message: `transition ${t.id} overlaps ${t.from_clip_id} and ${t.to_clip_id}; an edit re-cuts the joins (remove the transition, edit, add it back)`,
    }),
  );
  const order = track.clips.map((c, i) => ({ c, i })).sort((a, b) => a.c.start_ms - b.c.start_ms || a.i - b.i);
  for (const { c, i } of order)
    for (const r of REFUSED) if (r.applies(c)) issues.push({ path: `${trackPath}.clips[${i}].${String(r.key)}`, message: r.why });
  if (issues.length > 0) throw invalid(`${issues[0]!.path}: ${issues[0]!.message}`, issues);

  const byId = new Map(track.clips.map((c) => [c.id, c]));
  for (const key of Object.keys(body.transcripts ?? {}))
    if (!byId.has(key))
      issues.push({ path: `transcripts.${key}`, message: `no clip ${key} on track ${track.id} (clips: ${track.clips.map((c) => c.id).join(', ')})` });
  if (issues.length > 0) throw invalid(`${issues[0]!.path}: ${issues[0]!.message}`, issues);

  const clips: LoadedSequenceClip[] = [];
  const transcriptsOf = new Map<string, { artifact: Artifact; transcript: Transcript } | undefined>();
  let hasVideo = false;
  let prevEnd = -Infinity;
  let prevPath = '';
  for (const { c, i } of order) {
    const clipPath = `${trackPath}.clips[${i}]`;
    let asset;
    try {
      asset = await services.assets.getAsset(ctx, c.asset_id);
    } catch (err) {
      if (isCutroomError(err, 'ASSET_NOT_FOUND'))
        throw cutroomError('ASSET_NOT_FOUND', `${clipPath}.asset_id: no asset ${c.asset_id}`, {
          asset_id: c.asset_id,
          path: `${clipPath}.asset_id`,
        });
      throw err;
    }
    const info = asset.media_info;
    if (!info.audio)
      throw invalid(`${clipPath}.asset_id: asset ${asset.id} has no audio to edit by`, [
        { path: `${clipPath}.asset_id`, message: 'the asset has no audio stream' },
      ]);
    if (info.video !== undefined && !info.video.still) hasVideo = true;
    const durationMs = info.video?.duration_ms ?? info.audio.duration_ms ?? info.duration_ms;
    const outMs = Math.min(c.out_ms ?? durationMs, durationMs);
    if (outMs <= c.in_ms)
      throw invalid(`${clipPath}.in_ms: the clip plays nothing of asset ${asset.id} (${durationMs} ms long)`, [
        { path: `${clipPath}.in_ms`, message: `must be below out_ms and the asset's ${durationMs} ms` },
      ]);
    if (c.start_ms < prevEnd)
      throw invalid(`${clipPath}.start_ms: overlaps ${prevPath}; the speech track's clips must not overlap`, [
        { path: `${clipPath}.start_ms`, message: `overlaps ${prevPath}` },
      ]);
    prevEnd = c.start_ms + (outMs - c.in_ms);
    prevPath = clipPath;
    for (const key of DROPPED)
      if (c[key] !== undefined && !(Array.isArray(c[key]) && c[key].length === 0))
        warnings.push({
          code: 'EDIT_CLIP_FIELD_DROPPED',
          message: `${key} of clip ${c.id} is timed on the whole clip; the edited pieces of it do not carry it`,
          path: `${clipPath}.${key}`,
        });

    let source: { artifact: Artifact; transcript: Transcript } | undefined;
    const named = body.transcripts?.[c.id];
    const tPath = named !== undefined ? `transcripts.${c.id}` : `${clipPath}.asset_id`;
    if (input.transcripts !== 'none' && named !== 'none') {
      const cacheKey = `${asset.id}\u0000${named ?? ''}`;
      if (transcriptsOf.has(cacheKey)) source = transcriptsOf.get(cacheKey);
      else {
        try {
          source = await loadEditTranscript({
            services,
            ctx,
            assetId: asset.id,
            ...(named !== undefined ? { artifactId: named } : {}),
            path: tPath,
            optional: input.transcripts === 'optional',
          });
        } catch (err) {
          if (named === undefined && isCutroomError(err, 'ARTIFACT_NOT_FOUND'))
            throw cutroomError(
              'ARTIFACT_NOT_FOUND',
              `${clipPath}.asset_id: asset ${asset.id} of clip ${c.id} has no real asr_transcript yet: POST /video/captions/generate first, or name one in transcripts.${c.id}`,
              { ...err.details, path: `${clipPath}.asset_id`, clip_id: c.id },
            );
          throw err;
        }
        transcriptsOf.set(cacheKey, source);
      }
    }
    const envelope = await measureLevels({
      path: await services.assets.assetPath(ctx, asset.id),
      startMs: c.in_ms,
      durationMs: outMs - c.in_ms,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    clips.push({
      clip_id: c.id,
      asset_id: asset.id,
      start_ms: c.start_ms,
      in_ms: c.in_ms,
      out_ms: outMs,
      path: clipPath,
      envelope,
      ...(source ? { transcript: source.transcript, transcriptArtifact: source.artifact } : {}),
    });
  }
  const others = seq.tracks.filter((t) => t !== track && ('clips' in t ? t.clips.length > 0 : t.items.length > 0));
  if (others.length > 0)
    warnings.push({
      code: 'EDIT_TRACKS_DROPPED',
      message: `the edit keeps only track ${track.id}; ${others.map((t) => t.id).join(', ')} would be out of sync after the cuts and are not in the result`,
      path: `${path}.tracks`,
    });
  return {
    clips,
    track,
    sourceClips: byId,
    hasVideo,
    path,
    warnings,
    source: { ...(projectId !== undefined ? { project_id: projectId } : {}), sequence_id: seq.id, track_id: track.id },
  };
}
