/** The Studio shell: sign-in, then the editor (bin | preview | inspector over the timeline). */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, createApi, describeError, type Session } from './api/client';
import { releaseVisuals } from './api/visuals';
import { Assists } from './components/Assists';
import { Titles, Transitions } from './components/Catalog';
import { Inspector } from './components/Inspector';
import { MediaBin } from './components/MediaBin';
import { Preview } from './components/Preview';
import { RenderPanel } from './components/RenderPanel';
import { loadSession, SignIn, storeSession } from './components/SignIn';
import { setActionRunner, Timeline } from './components/Timeline';
import { installKeyboard, runAction } from './state/actions';
import { editor, keepMine, loadTheirs, openProject, selectSequence, starterProject } from './state/editor';
import { useStore } from './state/store';

setActionRunner(runAction);

type LeftTab = 'media' | 'transitions' | 'titles' | 'assists';
type RightTab = 'inspector' | 'render';

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [authError, setAuthError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  const signOut = useCallback((message?: string) => {
    storeSession(null);
    releaseVisuals(editor.get().api);
    editor.set({ api: null, project: null, doc: null });
    setAuthError(message ?? null);
    setSession(null);
    setReady(false);
  }, []);

  useEffect(() => {
    if (!session) return;
    const api = createApi(session);
    editor.set({ api });
    let cancelled = false;
    (async () => {
      const [presets, projects] = await Promise.all([api.presets(), api.listProjects()]);
      const wanted = new URLSearchParams(location.search).get('project');
      const pick = projects.items.find((p) => p.id === wanted) ?? projects.items[0];
      const record = pick ? await api.getProject(pick.id) : await api.createProject(starterProject('Untitled edit'));
      if (cancelled) return;
      editor.set({ presets });
      openProject(record);
      setReady(true);
    })().catch((err: unknown) => {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) signOut(describeError(err));
      else editor.set({ toast: { kind: 'error', text: describeError(err) } });
    });
    return () => {
      cancelled = true;
    };
  }, [session, signOut]);

  useEffect(() => (ready ? installKeyboard() : undefined), [ready]);

  if (!session) return <SignIn onSignedIn={setSession} message={authError} />;
  return <Editor session={session} ready={ready} onSignOut={() => signOut()} />;
}

function Editor({ session, ready, onSignOut }: { session: Session; ready: boolean; onSignOut: () => void }) {
  const [left, setLeft] = useState<LeftTab>('media');
  const [right, setRight] = useState<RightTab>('inspector');
  const toast = useStore(editor, (s) => s.toast);
  return (
    <div className="app">
      <TopBar session={session} onSignOut={onSignOut} />
      <ConflictBanner />
      <div className="main">
        <aside className="panel left">
          <nav className="tabs">
            {(['media', 'transitions', 'titles', 'assists'] as const).map((t) => (
              <button key={t} className={left === t ? 'active' : ''} onClick={() => setLeft(t)} data-testid={`tab-${t}`}>
                {t[0]!.toUpperCase() + t.slice(1)}
              </button>
            ))}
          </nav>
          <div className="panel-body">
            {left === 'media' && <MediaBin />}
            {left === 'transitions' && <Transitions />}
            {left === 'titles' && <Titles />}
            {left === 'assists' && <Assists />}
          </div>
        </aside>
        <section className="center">{ready ? <Preview /> : <div className="preview loading">Loading…</div>}</section>
        <aside className="panel right">
          <nav className="tabs">
            <button className={right === 'inspector' ? 'active' : ''} onClick={() => setRight('inspector')} data-testid="tab-inspector">
              Inspector
            </button>
            <button className={right === 'render' ? 'active' : ''} onClick={() => setRight('render')} data-testid="tab-render">
              Render
            </button>
          </nav>
          <div className="panel-body">{right === 'inspector' ? <Inspector /> : <RenderPanel />}</div>
        </aside>
      </div>
      {ready && <Timeline />}
      {toast && (
        <div className={`toast ${toast.kind}`} role="alert" data-testid="toast" onClick={() => editor.set({ toast: null })}>
          {toast.text}
        </div>
      )}
    </div>
  );
}

function TopBar({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const project = useStore(editor, (s) => s.project);
  const save = useStore(editor, (s) => s.save);
  const sequences = useStore(editor, (s) => s.doc?.sequences);
  const seqIndex = useStore(editor, (s) => s.sequenceIndex);
  const label: Record<string, string> = {
    idle: '',
    dirty: 'Unsaved changes',
    saving: 'Saving…',
    saved: project ? `Saved · v${project.version}` : 'Saved',
    conflict: 'Conflict',
    error: 'Save failed',
  };
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo">▚</span> cutroom <span className="muted">Studio</span>
      </div>
      <span className="project-name">{project?.name ?? ''}</span>
      {sequences && sequences.length > 1 && (
        <select value={seqIndex} onChange={(e) => selectSequence(Number(e.target.value))} aria-label="Sequence">
          {sequences.map((s, i) => (
            <option key={s.id} value={i}>
              {s.name ?? s.id}
            </option>
          ))}
        </select>
      )}
      <span className={`save-pill ${save.status}`} data-testid="save-status" title={save.message ?? ''}>
        {label[save.status]}
      </span>
      <span className="grow" />
      <span className="muted small">env {session.env || 'default'}</span>
      <button className="link" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

function ConflictBanner() {
  const save = useStore(editor, (s) => s.save);
  if (save.status !== 'conflict' && save.status !== 'error') return null;
  return (
    <div className={`banner ${save.status}`} role="alert" data-testid="save-banner">
      <span>{save.message}</span>
      {save.status === 'conflict' && (
        <>
          <button onClick={() => void loadTheirs().catch((e: unknown) => editor.set({ toast: { kind: 'error', text: describeError(e) } }))} data-testid="conflict-load-theirs">
            Load their version
          </button>
          <button onClick={() => void keepMine()} data-testid="conflict-keep-mine">
            Keep mine (overwrite)
          </button>
        </>
      )}
    </div>
  );
}
