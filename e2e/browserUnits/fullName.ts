/** Joins suite and test names into a test's full name, as vitest's reporter does: `suite > test`. */
export const NAME_SEPARATOR = ' > ';
