/**
 * Render: pick a profile, start a job for the saved project, follow it over SSE (progress, ETA), cancel it,
 * download the file when it is done; the tenant's past renders are listed below.
 */
import { useCallback, useEffect } from 'react';
import { describeError } from '../api/client';
import type { Job } from '../api/types';
import { editor, currentSequence, saveNow } from '../state/editor';
import { createStore, useStore } from '../state/store';

interface Live {
  job: Job;
  fraction: number;
  eta_ms: number | null;
  fps: number | null;
  phase: string | null;
}

function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s left` : `${s} s left`;
}

export async function downloadJob(job: Job): Promise<void> {
  const { blob } = await editor.get().api!.jobOutput(job.id);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = job.output ?? `${job.id}.mp4`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Render state outlives the panel (switching tabs must not lose a running job's progress). */
const renders = createStore<{ profile: string; live: Live | null; error: string | null; past: Job[] }>({
  profile: 'social_1080p_h264',
  live: null,
  error: null,
  past: [],
});
let stream: AbortController | null = null;

type Updater<T> = T | ((old: T) => T);
function setter<K extends 'profile' | 'live' | 'error' | 'past'>(key: K) {
  return (v: Updater<ReturnType<typeof renders.get>[K]>) =>
    renders.set((s) => ({ [key]: typeof v === 'function' ? (v as (o: typeof s[K]) => typeof s[K])(s[key]) : v }) as Partial<typeof s>);
}
const setProfile = setter('profile');

/** The render profile chosen here: the preview renders in its aspect and frame rate (at preview size). */
export const useRenderProfile = () => useStore(renders, (s) => s.profile);
const setLive = setter('live');
const setError = setter('error');
const setPast = setter('past');

export function RenderPanel() {
  const presets = useStore(editor, (s) => s.presets);
  const project = useStore(editor, (s) => s.project);
  const api = useStore(editor, (s) => s.api);
  const profile = useStore(renders, (s) => s.profile);
  const live = useStore(renders, (s) => s.live);
  const error = useStore(renders, (s) => s.error);
  const past = useStore(renders, (s) => s.past);

  const refresh = useCallback(() => {
    if (!api) return;
    api.listJobs().then(
      (r) => setPast(r.jobs),
      () => undefined,
    );
  }, [api]);
  useEffect(refresh, [refresh]);

  const follow = (job: Job) => {
    stream?.abort();
    const ctl = new AbortController();
    stream = ctl;
    setLive({ job, fraction: job.progress, eta_ms: null, fps: null, phase: null });
    api!
      .jobEvents(
        job.id,
        (e) => {
          if (e.event === 'state') setLive((l) => ({ ...(l ?? { fraction: 0, eta_ms: null, fps: null, phase: null }), job: e.data as Job, fraction: (e.data as Job).progress }));
          else if (e.event === 'progress') {
            const p = e.data as { fraction: number; eta_ms: number | null; fps: number | null; phase: string | null };
            setLive((l) => (l ? { ...l, fraction: p.fraction, eta_ms: p.eta_ms, fps: p.fps, phase: p.phase } : l));
          }
        },
        ctl.signal,
      )
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setError(describeError(err));
      })
      .finally(refresh);
  };

  const start = async () => {
    setError(null);
    if (!project) return;
    try {
      // Render what is on screen: flush a pending autosave first.
      await saveNow();
      if (editor.get().save.status === 'conflict') throw new Error('resolve the save conflict first');
      const seq = currentSequence()!;
      const name = `${(project.name || 'edit').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'edit'}.mp4`;
      const { job } = await api!.submitRender({ project_id: project.id, sequence_id: seq.id, profile, output: name });
      follow(job);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const state = live?.job.state;
  const running = state === 'queued' || state === 'running';
  return (
    <div className="render" data-testid="render-panel">
      <div className="field">
        <label htmlFor="profile">Profile</label>
        <select id="profile" value={profile} onChange={(e) => setProfile(e.target.value)} data-testid="render-profile">
          {(presets?.profiles ?? [{ id: 'social_1080p_h264' }]).map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}
              {p.width ? ` · ${p.width}×${p.height}` : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="render-actions">
        <button className="primary" disabled={running || !project} onClick={() => void start()} data-testid="render-start">
          Render
        </button>
        {running && (
          <button onClick={() => void api!.cancelJob(live!.job.id).catch((e: unknown) => setError(describeError(e)))} data-testid="render-cancel">
            Cancel
          </button>
        )}
      </div>
      {live && (
        <div className="job" data-testid="render-job" data-state={state}>
          <div className="bar big">
            <div style={{ width: `${Math.round(live.fraction * 100)}%` }} />
          </div>
          <div className="job-line">
            <span data-testid="render-state">{state}</span>
            <span data-testid="render-progress">{Math.round(live.fraction * 100)}%</span>
            {running && <span>{formatEta(live.eta_ms)}</span>}
            {running && live.fps ? <span>{live.fps.toFixed(0)} fps</span> : null}
            {live.phase && running ? <span className="muted">{live.phase}</span> : null}
          </div>
          {state === 'completed' && (
            <button className="primary" onClick={() => void downloadJob(live.job).catch((e: unknown) => setError(describeError(e)))} data-testid="render-download">
              ⤓ Download {live.job.output}
            </button>
          )}
          {live.job.error && <p className="error">{live.job.error.message}</p>}
        </div>
      )}
      {error && <p className="error">{error}</p>}
      <h4>Past renders</h4>
      <ul className="jobs" data-testid="past-renders">
        {past.length === 0 && <li className="muted">None yet.</li>}
        {past.map((j) => (
          <li key={j.id}>
            <span className={`badge state-${j.state}`}>{j.state}</span>
            <span className="job-name" title={j.id}>
              {j.output ?? j.id}
            </span>
            <span className="muted">{new Date(j.created_at).toLocaleTimeString()}</span>
            {j.state === 'completed' && (
              <button className="link" onClick={() => void downloadJob(j).catch((e: unknown) => setError(describeError(e)))}>
                download
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
