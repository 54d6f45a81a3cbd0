// The status palette, identical in meaning across themes: green ok, blue in motion, amber needs attention,
// red broken, grey neutral or unknown.
export type Tone = 'success' | 'info' | 'warning' | 'danger' | 'neutral';
