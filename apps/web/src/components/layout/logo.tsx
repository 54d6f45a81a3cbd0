// The mark: three stages on a promotion path.
export function Logo() {
  return (
    <span className="logo">
      <svg className="logo-mark" viewBox="0 0 32 32" width="24" height="24" aria-hidden focusable="false">
        <rect width="32" height="32" rx="8" fill="var(--accent)" />
        <path
          d="M8.5 22.5 16 16l7.5-6.5"
          fill="none"
          stroke="var(--accent-contrast)"
          strokeOpacity=".55"
          strokeWidth="2.2"
          strokeLinecap="round"
        />
        <circle cx="8.5" cy="22.5" r="3" fill="var(--accent-contrast)" />
        <circle cx="16" cy="16" r="3" fill="var(--accent-contrast)" />
        <circle cx="23.5" cy="9.5" r="3" fill="var(--accent-contrast)" />
      </svg>
      <span className="logo-word">Flightdeck</span>
    </span>
  );
}
