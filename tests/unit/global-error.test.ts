import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import GlobalError from '~/app/global-error';

describe('app/global-error.tsx (an error in the root layout itself)', () => {
  it('renders a whole document with the app’s error view, its server reference and a way to try again', () => {
    const error = Object.assign(new Error('session lookup failed'), { digest: '1234567' });
    const html = renderToStaticMarkup(createElement(GlobalError, { error, reset: () => undefined, retry: () => undefined }));
    expect(html).toMatch(/^<html lang="en"><head><title>Something went wrong · PetLens<\/title><\/head><body[^>]*>/);
    expect(html).toContain('<div role="alert"');
    expect(html).toContain('Something went wrong');
    expect(html).toContain('(ref 1234567)');
    expect(html).toMatch(/<button type="button"[^>]*>Try again<\/button>/);
    // The error's own message is for the server log, not for the page.
    expect(html).not.toContain('session lookup failed');
  });
});
