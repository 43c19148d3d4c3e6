import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The bytes of objects, under `<DATA_DIR>/storage`. Each upload is a new version (a UUID, as
 * Storage's S3 keys end with one), stored at `<root>/<2 hex>/<version>`: names never reach the
 * file system (no traversal, no case or Unicode surprises), a move only changes the row, and an
 * upsert writes the new version before the row points at it, then deletes the old one.
 */
export class FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  newVersion(): string {
    return randomUUID();
  }

  private pathOf(version: string): string {
    if (!/^[0-9a-f-]{36}$/.test(version)) throw new Error(`not a version: ${version}`);
    return join(this.root, version.slice(0, 2), version);
  }

  async write(version: string, data: Uint8Array): Promise<void> {
    const target = this.pathOf(version);
    await mkdir(join(this.root, version.slice(0, 2)), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, target);
  }

  async copy(from: string, to: string): Promise<void> {
    await mkdir(join(this.root, to.slice(0, 2)), { recursive: true });
    await copyFile(this.pathOf(from), this.pathOf(to));
  }

  async size(version: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(version))).size;
    } catch {
      return undefined;
    }
  }

  read(version: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(version), range);
  }

  async remove(version: string | null | undefined): Promise<void> {
    if (!version || !/^[0-9a-f-]{36}$/.test(version)) return;
    await rm(this.pathOf(version), { force: true });
  }
}
