// The two option checks the frozen reference normalizer used, frozen with it (option validation is
// not what the differential test compares).

export function configFail(owner: string, what: string): never {
  throw new Error(`${owner}: ${what}`);
}

export function optionsObject<T extends object>(owner: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null)
    configFail(owner, 'options must be an object');
  return options;
}
