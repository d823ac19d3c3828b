/** The problems of an OTLP/HTTP JSON logs body (empty when conformant). */
export function otlpProblems(text: string): string[];
/** Throws when `text` is not a conformant OTLP logs body. */
export function assertConformantOtlp(text: string): void;
