import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Pager } from '~/components/ui/pager';

const render = (props: Parameters<typeof Pager>[0]) => renderToStaticMarkup(createElement(Pager, props));

describe('Pager', () => {
  it('links both sides on a middle page', () => {
    const html = render({ newerHref: '/history?page=1', olderHref: '/history?page=3', page: 2, pageCount: 3 });
    expect(html).toContain('href="/history?page=1"');
    expect(html).toContain('href="/history?page=3"');
    expect(html).toContain('Page 2 of 3');
    expect(html).not.toContain('aria-disabled=');
  });

  it('shows a side without a page as a disabled link to its own page: announced as unavailable, out of the tab order', () => {
    const html = render({ newerHref: null, olderHref: '/history?page=2', page: 1, pageCount: 2 });
    expect(html).toContain('href="/history?page=2"');
    // Still a link (the same element as when it had a page, so it keeps a focus it has: tests/e2e/app.test.ts).
    expect(html).toMatch(/<a aria-disabled="true" tabindex="-1" class="[^"]*pointer-events-none[^"]*" href="#">← Newer<\/a>/);
    expect(html).not.toMatch(/rel="prev"/);
  });

  it('renders nothing for a single page', () => {
    expect(render({ newerHref: null, olderHref: null, page: 1, pageCount: 1 })).toBe('');
  });
});
