/**
 * NumberField's commit rule. The text-while-focused half (no effect may replace the text or
 * the selection after focus) needs a browser: test/e2e/live-ui.e2e.test.ts checks it.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { draftToCommit, NumberField } from '../../../renderer/ui/number-field';

describe('what leaving a number field commits', () => {
  it("only the operator's typed text, never the value it showed when it got focus", () => {
    // Focused at 1149 (auto-contrast moves the value on meanwhile); nothing typed.
    expect(draftToCommit({ text: '1149', edited: false })).toBeNull();
    expect(draftToCommit(null)).toBeNull();
    expect(draftToCommit({ text: '900', edited: true })).toBe('900');
    // Typed exactly what auto-contrast shows: still the operator's value, to be held.
    expect(draftToCommit({ text: '1150', edited: true })).toBe('1150');
  });

  it('shows the value from the host while not focused', () => {
    const html = renderToStaticMarkup(
      <NumberField testId="f" label="max" digits={0} value={1149} onCommit={() => undefined} />,
    );
    expect(html).toMatch(/data-testid="f"[^>]*value="1149"/);
  });
});
