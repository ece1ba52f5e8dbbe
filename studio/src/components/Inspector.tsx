/**
 * The inspector: the selected clip's or text layer's properties, laid out from the timeline schema. A value is
 * checked against the schema before the edit op runs; a refused value keeps the field red with the schema's
 * message next to it and leaves the document alone.
 */
import { useEffect, useState } from 'react';
import { MediaClipSchema, TextLayerSchema, TransitionSchema } from '../../../src/timeline/schema';
import { formatPath } from '../../../src/timeline/validate';
import { currentSequence, edit, editor, mediaLookup } from '../state/editor';
import { ops, type MediaClip, type TextLayer } from '../state/ops';
import { useStore } from '../state/store';

type Found =
  | { kind: 'clip'; item: MediaClip; trackKind: string }
  | { kind: 'text'; item: TextLayer }
  | { kind: 'transition'; item: { id: string; type: string; duration_ms: number; from_clip_id: string; to_clip_id: string } }
  | null;

function findSelected(id: string | undefined): Found {
  const seq = currentSequence();
  if (!seq || !id) return null;
  for (const t of seq.tracks) {
    if (t.kind === 'text') {
      const item = t.items.find((i) => i.id === id);
      if (item) return { kind: 'text', item };
    } else if (t.kind !== 'caption') {
      const item = t.clips.find((c) => c.id === id);
      if (item) return { kind: 'clip', item, trackKind: t.kind };
      const tr = t.transitions.find((x) => x.id === id);
      if (tr) return { kind: 'transition', item: tr };
    }
  }
  return null;
}

/** Set `value` at a dotted path of a copy of `obj` (for building the candidate a field would produce). */
function setPath(obj: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const out = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
  } else out[head] = setPath((obj[head] as Record<string, unknown> | undefined) ?? {}, rest, value);
  return out;
}

function getPath(obj: unknown, path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

interface FieldSpec {
  path: string;
  label: string;
  type: 'number' | 'text' | 'bool' | 'select' | 'color' | 'textarea';
  options?: string[];
  step?: number;
  optional?: boolean;
}

const CLIP_FIELDS: Array<{ group: string; fields: FieldSpec[] }> = [
  {
    group: 'Trim & speed',
    fields: [
      { path: 'start_ms', label: 'Start (ms)', type: 'number' },
      { path: 'in_ms', label: 'In (ms)', type: 'number' },
      { path: 'out_ms', label: 'Out (ms)', type: 'number', optional: true },
      { path: 'speed', label: 'Speed', type: 'number', step: 0.05 },
      { path: 'reverse', label: 'Reverse', type: 'bool' },
      { path: 'slowmo_quality', label: 'Slow motion', type: 'select', options: ['', 'high', 'medium', 'fast'], optional: true },
    ],
  },
  {
    group: 'Audio',
    fields: [
      { path: 'volume', label: 'Volume', type: 'number', step: 0.05 },
      { path: 'muted', label: 'Muted', type: 'bool' },
      { path: 'audio_fade_in_ms', label: 'Fade in (ms)', type: 'number' },
      { path: 'audio_fade_out_ms', label: 'Fade out (ms)', type: 'number' },
    ],
  },
  {
    group: 'Picture',
    fields: [
      { path: 'opacity', label: 'Opacity', type: 'number', step: 0.05 },
      { path: 'fit', label: 'Fit', type: 'select', options: ['', 'fit', 'fill', 'blur', 'stretch'], optional: true },
      { path: 'transform.position_x', label: 'Position X', type: 'number', step: 0.01 },
      { path: 'transform.position_y', label: 'Position Y', type: 'number', step: 0.01 },
      { path: 'transform.scale', label: 'Scale', type: 'number', step: 0.05 },
      { path: 'transform.rotation_deg', label: 'Rotation °', type: 'number' },
      { path: 'crop.left', label: 'Crop left', type: 'number', step: 0.01 },
      { path: 'crop.right', label: 'Crop right', type: 'number', step: 0.01 },
      { path: 'crop.top', label: 'Crop top', type: 'number', step: 0.01 },
      { path: 'crop.bottom', label: 'Crop bottom', type: 'number', step: 0.01 },
      { path: 'stabilise', label: 'Stabilise', type: 'bool' },
    ],
  },
];

const POSITIONS = ['center', 'top', 'bottom', 'left', 'right', 'top_left', 'top_right', 'bottom_left', 'bottom_right', 'lower_third'];
const ANIMS = ['none', 'fade', 'slide_up', 'slide_down', 'slide_left', 'slide_right', 'pop'];

const TEXT_FIELDS: Array<{ group: string; fields: FieldSpec[] }> = [
  {
    group: 'Text',
    fields: [
      { path: 'text', label: 'Text', type: 'textarea' },
      { path: 'start_ms', label: 'Start (ms)', type: 'number' },
      { path: 'duration_ms', label: 'Duration (ms)', type: 'number' },
    ],
  },
  {
    group: 'Font',
    fields: [
      { path: 'font.family', label: 'Family', type: 'text', optional: true },
      { path: 'font.size', label: 'Size', type: 'number' },
      { path: 'font.bold', label: 'Bold', type: 'bool' },
      { path: 'color', label: 'Colour', type: 'color' },
      { path: 'box.color', label: 'Box colour', type: 'color', optional: true },
      { path: 'outline.color', label: 'Outline colour', type: 'color', optional: true },
      { path: 'outline.width', label: 'Outline width', type: 'number', optional: true },
    ],
  },
  {
    group: 'Layout & motion',
    fields: [
      { path: 'position', label: 'Position', type: 'select', options: POSITIONS },
      { path: 'align', label: 'Align', type: 'select', options: ['left', 'center', 'right'] },
      { path: 'animation.in', label: 'Animate in', type: 'select', options: ANIMS },
      { path: 'animation.out', label: 'Animate out', type: 'select', options: ANIMS },
      { path: 'animation.duration_ms', label: 'Animation (ms)', type: 'number' },
    ],
  },
];

const TRANSITION_FIELDS: Array<{ group: string; fields: FieldSpec[] }> = [
  { group: 'Transition', fields: [{ path: 'duration_ms', label: 'Duration (ms)', type: 'number' }] },
];

export function Inspector() {
  const selId = useStore(editor, (s) => (s.selection.length === 1 ? s.selection[0] : undefined));
  const count = useStore(editor, (s) => s.selection.length);
  useStore(editor, (s) => s.docRevision);
  const found = findSelected(selId);
  if (!found)
    return (
      <div className="inspector empty" data-testid="inspector">
        <p className="muted">{count > 1 ? `${count} items selected` : 'Select a clip, a title or a transition.'}</p>
      </div>
    );
  const schema = found.kind === 'clip' ? MediaClipSchema : found.kind === 'text' ? TextLayerSchema : TransitionSchema;
  const groups = found.kind === 'clip' ? CLIP_FIELDS : found.kind === 'text' ? TEXT_FIELDS : TRANSITION_FIELDS;
  const item = found.item as unknown as Record<string, unknown>;
  const commit = (field: FieldSpec, value: unknown): string | null => {
    const path = field.path.split('.');
    const top = path[0]!;
    const candidate = setPath(item, path, value);
    const parsed = schema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues.find((i) => formatPath(i.path).startsWith(top)) ?? parsed.error.issues[0]!;
      return `${formatPath(issue.path) || field.path}: ${issue.message}`;
    }
    const media = mediaLookup(editor.get().assets);
    const label = `set ${field.label.toLowerCase()}`;
    // Transitions are not items: a new duration re-adds the transition at its cut (the op replaces it).
    const ok =
      found.kind === 'transition'
        ? edit(label, (doc) =>
            ops.addTransition(doc, {
              from_clip_id: found.item.from_clip_id,
              to_clip_id: found.item.to_clip_id,
              type: found.item.type,
              duration_ms: Number(value),
              catalog: editor.get().presets?.transitions ?? [],
              media,
            }),
          )
        : edit(label, (doc) =>
            // null removes an optional field (the op's convention).
            ops.setProps(doc, { id: found.item.id, patch: { [top]: candidate[top] ?? null }, media }),
          );
    return ok ? null : (editor.get().toast?.text ?? null);
  };
  return (
    <div className="inspector" data-testid="inspector">
      <h3>
        {found.kind === 'clip' ? 'Clip' : found.kind === 'text' ? 'Title' : `Transition · ${found.item.type}`}
        <span className="muted"> {found.item.id}</span>
      </h3>
      {groups.map((g) => (
        <fieldset key={g.group}>
          <legend>{g.group}</legend>
          {g.fields.map((f) => (
            <Field key={`${found.item.id}:${f.path}`} spec={f} value={getPath(item, f.path.split('.'))} commit={(v) => commit(f, v)} />
          ))}
        </fieldset>
      ))}
      {found.kind === 'clip' && <ClipExtras clip={found.item} />}
    </div>
  );
}

function Field({ spec, value, commit }: { spec: FieldSpec; value: unknown; commit: (v: unknown) => string | null }) {
  const [draft, setDraft] = useState<string>(value === undefined ? '' : String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(value === undefined ? '' : String(value));
    setError(null);
  }, [value]);
  const parse = (raw: string): unknown => {
    if (raw === '' && spec.optional) return undefined;
    if (spec.type === 'number') return raw.trim() === '' ? Number.NaN : Number(raw);
    return raw;
  };
  const submit = (raw: string) => setError(commit(parse(raw)));
  const id = `f-${spec.path}`;
  let control;
  if (spec.type === 'bool')
    control = (
      <input id={id} type="checkbox" checked={value === true || (typeof value === 'object' && value !== null)} onChange={(e) => setError(commit(e.target.checked))} />
    );
  else if (spec.type === 'select')
    control = (
      <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => submit(e.target.value)}>
        {spec.options!.map((o) => (
          <option key={o} value={o}>
            {o || '—'}
          </option>
        ))}
      </select>
    );
  else if (spec.type === 'textarea')
    control = <textarea id={id} value={draft} rows={2} onChange={(e) => setDraft(e.target.value)} onBlur={(e) => submit(e.target.value)} />;
  else
    control = (
      <input
        id={id}
        type="text"
        inputMode={spec.type === 'number' ? 'decimal' : 'text'}
        value={draft}
        data-testid={`field-${spec.path}`}
        aria-invalid={error !== null}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={(e) => submit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') submit((e.target as HTMLInputElement).value);
        }}
      />
    );
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{spec.label}</label>
      {control}
      {spec.type === 'color' && /^#[0-9a-fA-F]{6}/.test(draft) && <span className="swatch" style={{ background: draft.slice(0, 7) }} />}
      {error && (
        <span className="field-error" data-testid="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

const KF_PARAMS = ['opacity', 'volume', 'scale', 'position_x', 'position_y', 'rotation_deg'] as const;

/** Filters with their descriptor ranges, style presets, and keyframes at the playhead. */
function ClipExtras({ clip }: { clip: MediaClip }) {
  const presets = useStore(editor, (s) => s.presets);
  const playhead = useStore(editor, (s) => s.playheadMs);
  const [param, setParam] = useState<(typeof KF_PARAMS)[number]>('opacity');
  const media = () => mediaLookup(editor.get().assets);
  const t = Math.max(0, playhead - clip.start_ms);
  const current = (clip.transform as Record<string, number>)[param] ?? (clip as unknown as Record<string, number>)[param] ?? 1;
  const [kfValue, setKfValue] = useState(String(current));
  const filters = presets?.filters ?? [];
  return (
    <>
      <fieldset>
        <legend>Filters</legend>
        {clip.filters.map((f, i) => {
          const desc = filters.find((d) => d.type === f.type);
          const params = (desc?.params && !Array.isArray(desc.params) ? desc.params : {}) as Record<string, { min?: number; max?: number; default?: unknown; type?: string }>;
          return (
            <div key={f.id ?? i} className="filter">
              <div className="filter-head">
                <strong>{desc?.label ?? f.type}</strong>
                <button
                  className="link"
                  onClick={() =>
                    edit('remove filter', (doc) =>
                      ops.setProps(doc, { id: clip.id, patch: { filters: clip.filters.filter((_, j) => j !== i) }, media: media() }),
                    )
                  }
                >
                  remove
                </button>
              </div>
              {Object.entries(params)
                .filter(([, d]) => d.type === 'number' || typeof d.min === 'number')
                .map(([name, d]) => (
                  <label key={name} className="slider">
                    <span>{name}</span>
                    <input
                      type="range"
                      min={d.min ?? 0}
                      max={d.max ?? 1}
                      step={((d.max ?? 1) - (d.min ?? 0)) / 100}
                      defaultValue={Number(f.params[name] ?? d.default ?? 0)}
                      onPointerUp={(e) => {
                        const v = Number((e.target as HTMLInputElement).value);
                        const next = clip.filters.map((x, j) => (j === i ? { ...x, params: { ...x.params, [name]: v } } : x));
                        edit('filter param', (doc) => ops.setProps(doc, { id: clip.id, patch: { filters: next }, media: media() }));
                      }}
                    />
                    <span className="muted">{String(f.params[name] ?? d.default ?? '')}</span>
                  </label>
                ))}
            </div>
          );
        })}
        <select
          value=""
          aria-label="Add filter"
          onChange={(e) => {
            const type = e.target.value;
            if (!type) return;
            const desc = filters.find((d) => d.type === type);
            const params: Record<string, number | string | boolean> = {};
            for (const [k, d] of Object.entries((desc?.params ?? {}) as Record<string, { default?: unknown }>))
              if (typeof d.default === 'number' || typeof d.default === 'string' || typeof d.default === 'boolean') params[k] = d.default;
            edit('add filter', (doc) =>
              ops.setProps(doc, { id: clip.id, patch: { filters: [...clip.filters, { id: `${type}_${clip.filters.length + 1}`, type, params }] }, media: media() }),
            );
          }}
        >
          <option value="">+ Add filter…</option>
          {filters.map((f) => (
            <option key={f.type} value={f.type}>
              {f.label ?? f.type}
            </option>
          ))}
        </select>
        <select
          value=""
          aria-label="Style preset"
          onChange={(e) => {
            const preset = (presets?.style_presets ?? []).find((p) => p.id === e.target.value) as { filters?: MediaClip['filters'] } | undefined;
            if (!preset?.filters) return;
            edit('style preset', (doc) => ops.setProps(doc, { id: clip.id, patch: { filters: preset.filters }, media: media() }));
          }}
        >
          <option value="">Style preset…</option>
          {(presets?.style_presets ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.label ?? p.id}
            </option>
          ))}
        </select>
      </fieldset>
      <fieldset>
        <legend>Keyframes</legend>
        <div className="kf-add">
          <select value={param} onChange={(e) => setParam(e.target.value as typeof param)} aria-label="Keyframe param">
            {KF_PARAMS.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
          <input type="text" value={kfValue} onChange={(e) => setKfValue(e.target.value)} aria-label="Keyframe value" />
          <button
            onClick={() => edit('set keyframe', (doc) => ops.setKeyframe(doc, { id: clip.id, param, t_ms: t, value: Number(kfValue) }))}
            data-testid="add-keyframe"
          >
            ◆ at {t} ms
          </button>
        </div>
        {clip.automation.map((a) => (
          <div key={a.param} className="kf-list">
            <strong>{a.param}</strong>
            {a.keyframes.map((k) => (
              <span key={k.t_ms} className="kf-chip">
                {k.t_ms} ms = {k.value} ({k.easing})
                <button className="link" onClick={() => edit('remove keyframe', (doc) => ops.removeKeyframe(doc, { id: clip.id, param: a.param, t_ms: k.t_ms }))}>
                  ×
                </button>
              </span>
            ))}
          </div>
        ))}
      </fieldset>
    </>
  );
}
