import { describe, expect, it } from "vitest";
import { Lanes } from "../../../worker/lib/single-flight";

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (err: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("Lanes", () => {
  it("never runs two tasks of one key at once, even when one fails", async () => {
    const lanes = new Lanes<string>();
    const log: string[] = [];
    const first = deferred<void>();
    const a = lanes.run("calendly", async () => {
      log.push("a start");
      await first.promise;
      log.push("a end");
      throw new Error("a failed");
    });
    const b = lanes.run("calendly", async () => {
      log.push("b start");
      return "b";
    });
    const other = lanes.run("zoom", async () => {
      log.push("zoom");
      return "z";
    });
    await other;
    expect(log).toEqual(["a start", "zoom"]);
    first.resolve();
    await expect(a).rejects.toThrow("a failed");
    expect(await b).toBe("b");
    expect(log).toEqual(["a start", "zoom", "a end", "b start"]);
    expect(lanes.busy("calendly")).toBe(false);
  });

  it("shares the queued task between callers, and starts afresh once it settled", async () => {
    const lanes = new Lanes<string>();
    let runs = 0;
    const gate = deferred<void>();
    const work = async () => {
      runs++;
      await gate.promise;
      return runs;
    };
    const joined = [lanes.share("k", work), lanes.share("k", work), lanes.share("k", work)];
    gate.resolve();
    expect(await Promise.all(joined)).toEqual([1, 1, 1]);
    expect(await lanes.share("k", work)).toBe(2);
  });

  it("an older task settling never drops the shared task that followed it", async () => {
    const lanes = new Lanes<string>();
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = lanes.share("k", () => older.promise);
    older.resolve("older");
    expect(await first).toBe("older");
    const second = lanes.share("k", () => newer.promise);
    // A caller arriving now joins the newer task rather than starting a third one.
    const third = lanes.share("k", async () => "third");
    newer.resolve("newer");
    expect(await second).toBe("newer");
    expect(await third).toBe("newer");
  });
});
