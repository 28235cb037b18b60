import { ApiError } from './api.js';
import { append, h, type Child } from './html.js';

/**
 * A titled region of the page that loads on its own: "Loading…" while it waits (aria-busy), its content when the
 * API answers, and an error that says what failed when it does not — never a blank region.
 */
export function section(id: string, title: string, intro?: string): { element: HTMLElement; load(render: () => Promise<Child>): Promise<boolean> } {
  const body = h('div', { class: 'section-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const element = h(
    'section',
    { id, 'aria-labelledby': `${id}-title`, 'aria-busy': 'true' },
    h('h2', { id: `${id}-title`, tabindex: '-1' }, title),
    intro ? h('p', { class: 'muted' }, intro) : null,
    body,
  );
  return {
    element,
    async load(render) {
      try {
        const content = await render();
        body.replaceChildren();
        append(body, [content]);
        return true;
      } catch (error) {
        body.replaceChildren(errorBox(error));
        return false;
      } finally {
        element.setAttribute('aria-busy', 'false');
      }
    },
  };
}

export function errorBox(error: unknown): HTMLElement {
  const what = error instanceof ApiError ? `${error.path}: ${error.message}` : error instanceof Error ? error.message : String(error);
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', {}, '⚠ Could not load this part. '),
    what,
    ' ',
    h('button', { type: 'button', onclick: () => location.reload() }, 'Retry'),
  );
}
