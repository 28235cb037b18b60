import { readView, viewUrl, type View } from './filters.js';
import { filterForm } from './filterForm.js';
import { h } from './html.js';
import { renderOverview } from './overview.js';
import { renderVmDetail } from './vmDetail.js';

/**
 * The fleet dashboard: a read-only page the Function App serves at /api/dashboard, all of whose data comes from the
 * findings API. The view lives in the URL (filters.ts), so back/forward and shared links work.
 */
const filtersSlot = document.getElementById('filters')!;
const main = document.getElementById('main')!;
const updated = document.getElementById('updated')!;

/** Each render's number: a slower earlier render that finishes late must not report its state over a newer one. */
let renders = 0;

async function render(view: View, moveFocus: boolean): Promise<void> {
  const mine = ++renders;
  document.body.dataset.state = 'loading';
  // At phone width the filters fold away (unless some are set): the numbers come first.
  const active = Object.keys(view.filters).length;
  filtersSlot.replaceChildren(
    h(
      'details',
      { open: active > 0 || window.innerWidth > 720 },
      h('summary', {}, active > 0 ? `Filters (${active} set)` : 'Filters'),
      filterForm(view, navigate),
    ),
  );
  main.replaceChildren();
  document.title = view.vm ? 'VM · VM backup guard' : 'Fleet dashboard · VM backup guard';
  const loaded = view.vm ? await renderVmDetail(main, view, navigate) : await renderOverview(main, view, navigate);
  if (mine !== renders) return;
  updated.replaceChildren('Loaded ', h('time', { datetime: new Date().toISOString() }, new Date().toLocaleTimeString()));
  // Tests and scripts wait for this; people see each section's own state.
  document.body.dataset.state = loaded.every(Boolean) ? 'ready' : 'error';
  if (moveFocus) main.querySelector<HTMLElement>('h2')?.focus();
}

function navigate(view: View): void {
  history.pushState(null, '', viewUrl(view, true));
  void render(view, true);
}

window.addEventListener('popstate', () => void render(readView(), true));
document.getElementById('refresh')!.addEventListener('click', () => void render(readView(), false));
void render(readView(), false);
