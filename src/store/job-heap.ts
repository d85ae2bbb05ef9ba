/** Min-heap of job ids by due time, so the embedded queue finds the next job in O(log n). */
export class JobHeap {
  private readonly items: { id: string; due: number }[] = [];

  get size(): number {
    return this.items.length;
  }

  push(id: string, due: number): void {
    const a = this.items;
    a.push({ id, due });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.due <= a[i]!.due) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }

  peek(): { id: string; due: number } | undefined {
    return this.items[0];
  }

  pop(): { id: string; due: number } | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.due < a[m]!.due) m = l;
        if (r < a.length && a[r]!.due < a[m]!.due) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
