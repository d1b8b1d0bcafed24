/** Interns strings as small integer ids. */
export class StringTable {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  /** The id of s, or -1 when it was never interned. */
  find(s: string): number {
    return this.ids.get(s) ?? -1;
  }

  get(id: number): string {
    return this.values[id]!;
  }
}
