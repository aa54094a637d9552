import { WINDOW_CHOICES } from './windowDays';

/** 7 / 30 / 90 days, as a segmented control. */
export function WindowSelector({ days, onChange }: { readonly days: number; readonly onChange: (days: number) => void }) {
  return (
    <div className="segmented" role="group" aria-label="Time window" data-testid="window-selector">
      {WINDOW_CHOICES.map((choice) => (
        <button
          key={choice}
          type="button"
          className="segmented__option"
          aria-pressed={choice === days}
          data-days={choice}
          onClick={() => {
            onChange(choice);
          }}
        >
          {choice} days
        </button>
      ))}
    </div>
  );
}
