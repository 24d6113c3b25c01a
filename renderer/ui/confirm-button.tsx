/**
 * A button that asks once before acting (e-stop reset, cancelling a run): the first click
 * shows the question with Yes / No in place; Yes acts, No (or 8 s without an answer) goes
 * back. In-page, not `window.confirm`, so it never blocks the page or a remote browser.
 */
import { useEffect, useState, type ReactNode } from 'react';

const ASK_TIMEOUT_MS = 8_000;

export interface ConfirmButtonProps {
  testId: string;
  /** The button before it is pressed. */
  children: ReactNode;
  question: string;
  className?: string;
  disabled?: boolean;
  onConfirm(): void;
}

export function ConfirmButton(p: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (!asking) return;
    const t = setTimeout(() => setAsking(false), ASK_TIMEOUT_MS);
    return () => clearTimeout(t);
  }, [asking]);
  useEffect(() => {
    if (p.disabled) setAsking(false);
  }, [p.disabled]);
  if (!asking)
    return (
      <button
        type="button"
        className={p.className}
        data-testid={p.testId}
        disabled={p.disabled}
        onClick={() => setAsking(true)}
      >
        {p.children}
      </button>
    );
  return (
    <span className="confirm" role="group" data-testid={`${p.testId}-ask`}>
      <span className="confirm-question">{p.question}</span>
      <button
        type="button"
        className={p.className}
        data-testid={`${p.testId}-confirm`}
        onClick={() => {
          setAsking(false);
          p.onConfirm();
        }}
      >
        Yes
      </button>
      <button type="button" data-testid={`${p.testId}-no`} onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}
