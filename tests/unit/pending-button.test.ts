import { createElement, type MouseEvent, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { PendingButton } from '~/components/ui/pending-button';

type Props = Parameters<typeof PendingButton>[0];
const clickOf = (props: Props) => (PendingButton(props) as ReactElement<{ onClick: (event: MouseEvent<HTMLButtonElement>) => void }>).props.onClick;
const fakeClick = () => ({ preventDefault: jest.fn() }) as unknown as MouseEvent<HTMLButtonElement> & { preventDefault: jest.Mock };

describe('PendingButton', () => {
  it('while pending is aria-disabled, not disabled, so it keeps keyboard focus', () => {
    const html = renderToStaticMarkup(createElement(PendingButton, { pending: true, className: 'x' }, 'Save'));
    expect(html).toBe('<button class="x" type="submit" aria-disabled="true">Save</button>');
  });

  it('while pending cancels a click (and so a form submission) and does not call onClick', () => {
    const onClick = jest.fn();
    const event = fakeClick();
    clickOf({ pending: true, onClick })(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(onClick).not.toHaveBeenCalled();
  });

  it('when idle is a plain button that passes the click on', () => {
    expect(renderToStaticMarkup(createElement(PendingButton, { pending: false, type: 'button' }, 'Go'))).toBe('<button type="button">Go</button>');
    const onClick = jest.fn();
    const event = fakeClick();
    clickOf({ pending: false, onClick })(event);
    expect(event.preventDefault).not.toHaveBeenCalled();
    expect(onClick).toHaveBeenCalledWith(event);
  });
});
