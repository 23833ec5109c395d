// The batch preview's webview: a virtual list of the batch's rows. Only the rows on screen (and a
// few more) are in the page, each with its three thumbnails, so 10,000 rows scroll as smoothly
// as 10. The rows come from the extension (src/extension/preview.ts) in one `update` message;
// which rows to draw is core's `virtualWindow`. State (filter, scroll position, selected row)
// is kept with setState, so the list comes back as it was when the panel is shown again.
import { PreviewRequest, PreviewUpdate, imageUri, label, scrollToShow, virtualWindow, visibleRows } from '../core/preview';

interface State {
  /** The CSV's URI: the serializer reopens the preview of this file after a reload. */
  csv: string;
  onlyProblems: boolean;
  scrollTop: number;
  /** The selected row's index in the model's rows, or -1. */
  selected: number;
}

declare function acquireVsCodeApi(): { postMessage(m: PreviewRequest): void; getState(): State | undefined; setState(s: State): void };

/** Must match `.row { height }` in media/preview.css. */
const ROW_HEIGHT = 56;
const vscode = acquireVsCodeApi();
const state: State = { csv: '', onlyProblems: false, scrollTop: 0, selected: -1, ...vscode.getState() };

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const scroller = byId<HTMLDivElement>('scroller');
const spacer = byId<HTMLDivElement>('spacer');
const list = byId<HTMLDivElement>('list');
const only = byId<HTMLInputElement>('only');
const onlyLabel = byId<HTMLSpanElement>('only-label');
const summary = byId<HTMLSpanElement>('summary');
const title = byId<HTMLSpanElement>('title');

let model: PreviewUpdate | undefined;
/** Indexes into model.rows of the rows the filter keeps. */
let shown: number[] = [];
/** Bumped on every update: a drawn row whose key differs is drawn again. */
let generation = 0;
let painted = false;
let frame = 0;

function save(): void {
  vscode.setState(state);
}

function text(tag: string, className: string, content: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = content;
  return el;
}

/** A row's elements, made once and reused for whichever row scrolls into their place. */
interface RowView {
  num: HTMLElement;
  ref: HTMLElement;
  thumbs: { cell: HTMLElement; img: HTMLImageElement; none: HTMLElement }[];
  count: HTMLElement;
}

const views = new WeakMap<HTMLElement, RowView>();

function newRow(): HTMLElement {
  const el = document.createElement('div');
  el.className = 'row';
  el.setAttribute('role', 'option');
  const view: RowView = { num: text('span', 'num', ''), ref: text('span', 'ref', ''), thumbs: [], count: text('span', 'count', '') };
  el.append(view.num, view.ref);
  for (let k = 0; k < 3; k++) {
    const cell = text('span', 'thumb', '');
    const img = document.createElement('img');
    img.decoding = 'async';
    img.alt = '';
    img.addEventListener('error', () => { if (img.getAttribute('src')) { img.hidden = true; none.hidden = false; none.textContent = (model as PreviewUpdate).labels.cannotShow; } });
    const none = text('span', 'none', '');
    cell.append(img, none);
    view.thumbs.push({ cell, img, none });
    el.append(cell);
  }
  el.append(view.count);
  views.set(el, view);
  return el;
}

/** While the list scrolls fast, thumbnails wait: loading and decoding them would cost frames. */
let lastScroll = -Infinity;
const SETTLE_MS = 80;
let settleTimer: ReturnType<typeof setTimeout> | undefined;

function setImage(t: RowView['thumbs'][number], src: string | undefined, now: boolean): void {
  if (src === undefined) {
    t.img.hidden = true;
    t.img.removeAttribute('src');
    return;
  }
  t.none.hidden = true;
  t.img.hidden = false;
  t.img.dataset.src = src;
  if (t.img.getAttribute('src') === src) return;
  if (now) t.img.src = src;
  else t.img.removeAttribute('src');
}

/** Gives every drawn row whose thumbnails waited its images. */
function loadWaiting(): void {
  for (const el of list.children) {
    for (const t of views.get(el as HTMLElement)?.thumbs ?? []) {
      const src = t.img.dataset.src;
      if (!t.img.hidden && src && t.img.getAttribute('src') !== src) t.img.src = src;
    }
  }
}

function drawRow(el: HTMLElement, i: number): void {
  const m = model as PreviewUpdate;
  const row = m.rows[i];
  const view = views.get(el) as RowView;
  const now = performance.now() - lastScroll > SETTLE_MS;
  view.num.textContent = String(row.row);
  view.ref.textContent = row.reference;
  row.images.forEach((image, k) => {
    const t = view.thumbs[k];
    t.cell.className = `thumb${image.problem ? ' has-problem' : ''}`;
    t.cell.title = image.problem ?? '';
    if (image.path) {
      setImage(t, imageUri(m.base, image.path, m.changed[image.path]), now);
    } else {
      setImage(t, undefined, now);
      t.none.hidden = false;
      t.none.textContent = image.problem ?? m.labels.empty;
    }
  });
  view.count.className = `count${row.problems ? ' bad' : ''}`;
  view.count.textContent = row.problems === 0 ? m.labels.noProblems : row.problems === 1 ? m.labels.oneProblem : label(m.labels.problems, row.problems);
  el.dataset.index = String(i);
  el.dataset.line = String(row.line);
  el.setAttribute('aria-selected', String(i === state.selected));
}

/** The rows of the first part of a long batch are drawn while the rest is on its way; rows past them wait blank. */
function blankRow(el: HTMLElement): void {
  const view = views.get(el) as RowView;
  view.num.textContent = '';
  view.ref.textContent = '';
  view.count.textContent = '';
  for (const t of view.thumbs) { setImage(t, undefined, false); t.none.hidden = true; t.cell.className = 'thumb'; }
  delete el.dataset.index;
}

/** Whether only the first part of the rows has come (more follow in the next update). */
function partial(): boolean {
  return !!model && model.rows.length < model.total;
}

/** Draws the rows in view, reusing the row elements already there. */
function render(): void {
  frame = 0;
  if (!model) return;
  // Unfiltered, the list has its full length at once, so the scroll bar does not jump when the rest comes.
  const length = partial() && !state.onlyProblems ? model.total : shown.length;
  const w = virtualWindow(length, ROW_HEIGHT, scroller.scrollTop, scroller.clientHeight);
  spacer.style.height = `${w.height}px`;
  list.style.transform = `translateY(${w.offset}px)`;
  const count = w.end - w.first;
  while (list.children.length > count) list.lastElementChild?.remove();
  while (list.children.length < count) list.append(newRow());
  for (let k = 0; k < count; k++) {
    const el = list.children[k] as HTMLElement;
    const i = w.first + k < shown.length ? shown[w.first + k] : -1;
    const key = `${generation}:${i}`;
    if (el.dataset.key !== key) { if (i < 0) blankRow(el); else drawRow(el, i); el.dataset.key = key; }
  }
  if (!painted && shown.length > 0) {
    painted = true;
    // After the browser has drawn this frame: the time to first paint is measured to here.
    requestAnimationFrame(() => vscode.postMessage({ type: 'painted', rows: (model as PreviewUpdate).total, drawn: list.children.length }));
  }
}

function schedule(): void {
  if (!frame) frame = requestAnimationFrame(render);
}

function refilter(): void {
  if (!model) return;
  shown = visibleRows(model.rows, state.onlyProblems);
  const withProblems = state.onlyProblems ? shown.length : visibleRows(model.rows, true).length;
  const parts = [label(model.labels.rows, model.total), partial() ? '…' : label(model.labels.withProblems, withProblems)];
  if (model.otherProblems) parts.push(label(model.labels.otherProblems, model.otherProblems));
  if (model.capped !== undefined) parts.push(label(model.labels.capped, model.capped));
  summary.textContent = parts.join(' · ');
  generation++;
  render();
}

function select(i: number, reveal: boolean): void {
  if (!model || i < 0 || i >= model.rows.length) return;
  state.selected = i;
  const position = shown.indexOf(i);
  if (position >= 0) scroller.scrollTop = scrollToShow(position, ROW_HEIGHT, scroller.scrollTop, scroller.clientHeight);
  for (const el of list.children) (el as HTMLElement).setAttribute('aria-selected', String((el as HTMLElement).dataset.index === String(i)));
  save();
  if (reveal) vscode.postMessage({ type: 'reveal', line: model.rows[i].line });
}

window.addEventListener('message', (e: MessageEvent<PreviewUpdate>) => {
  const m = e.data;
  if (m?.type !== 'update') return;
  const first = !model || partial();
  model = m;
  title.textContent = m.title;
  onlyLabel.textContent = m.labels.onlyProblems;
  state.csv = m.csv;
  refilter();
  if (first) scroller.scrollTop = state.scrollTop;
  save();
});

only.checked = state.onlyProblems;
only.addEventListener('change', () => {
  state.onlyProblems = only.checked;
  scroller.scrollTop = 0;
  refilter();
  save();
});

scroller.addEventListener('scroll', () => {
  state.scrollTop = scroller.scrollTop;
  lastScroll = performance.now();
  clearTimeout(settleTimer);
  settleTimer = setTimeout(loadWaiting, SETTLE_MS);
  schedule();
}, { passive: true });
// The scroll position is saved when scrolling pauses, not at every frame.
scroller.addEventListener('scrollend', save);
window.addEventListener('resize', schedule);

list.addEventListener('click', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
  if (row?.dataset.index) select(Number(row.dataset.index), true);
});

scroller.addEventListener('keydown', (e) => {
  if (!model || shown.length === 0) return;
  const at = Math.max(0, shown.indexOf(state.selected));
  const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 10 : e.key === 'PageUp' ? -10 : 0;
  if (step) {
    e.preventDefault();
    select(shown[Math.max(0, Math.min(shown.length - 1, state.selected < 0 ? 0 : at + step))], false);
  } else if (e.key === 'Enter' && state.selected >= 0) {
    e.preventDefault();
    select(state.selected, true);
  }
});

vscode.postMessage({ type: 'ready' });
