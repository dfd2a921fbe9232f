/**
 * The guard in front of a committed model folder (`models/<name>/`): its `manifest.json` lists every file
 * transformers.js reads with its sha256, written by the export (`training/`). A missing or changed file is
 * one line naming it (exit 78), never a stack trace; the weights' hash becomes part of the model's id, so
 * an index or a cache built with other weights is rebuilt.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConfigurationError } from '../errors.js';

export interface ModelManifest {
  /** What the folder holds: `embedder` or `reader`. */
  role: string;
  /** File (relative to the folder) → sha256. */
  files: Record<string, string>;
}

/** The file transformers.js loads for an int8 model. */
export const WEIGHTS_FILE = 'onnx/model_quantized.onnx';

const shown = (path: string) => relative(process.cwd(), path) || path;

/**
 * Checks `folder` against its manifest and returns the weights' sha256. `role` is what the caller
 * expects the folder to be (a reader folder given as the embedder is refused).
 */
export async function checkModelFolder(folder: string, role: string): Promise<{ manifest: ModelManifest; weightsSha256: string }> {
  const manifestPath = join(folder, 'manifest.json');
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ModelManifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      code === 'ENOENT'
        ? `The model manifest ${shown(manifestPath)} is missing: restore the folder with \`git checkout -- ${shown(folder)}\` or rebuild it (its MODEL.md says how).`
        : `The model manifest ${shown(manifestPath)} is not valid JSON: restore it with \`git checkout -- ${shown(folder)}\`.`,
      { cause: err },
    );
  }
  if (manifest.role !== role || typeof manifest.files !== 'object' || !manifest.files[WEIGHTS_FILE]) {
    throw new ConfigurationError(`The model folder ${shown(folder)} holds no ${role} (its manifest.json says "${String(manifest.role)}"): point it at a ${role} folder.`);
  }
  for (const [file, expected] of Object.entries(manifest.files)) {
    const path = join(folder, file);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new ConfigurationError(`The model file ${shown(path)} is missing: restore it with \`git checkout -- ${shown(path)}\` (is Git LFS or a partial copy in the way?).`, { cause: err });
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) {
      throw new ConfigurationError(`The model file ${shown(path)} is corrupt (its sha256 is not the one in manifest.json): restore it with \`git checkout -- ${shown(path)}\`.`);
    }
  }
  return { manifest, weightsSha256: manifest.files[WEIGHTS_FILE]! };
}
