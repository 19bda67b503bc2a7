import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import {
  loadPipelineSpecCached,
  pipelineSpecCacheDir,
  schemaModules,
} from '../../src/pipeline-spec/pipeline-spec-cache.js';
import { PipelineSpecError } from '../../src/pipeline-spec/pipeline-spec-error.js';
import type { ValidatedPipeline } from '../../src/pipeline-spec/validate-pipeline.js';
import { withTempDir } from '../lineage/helpers.js';
import { mini, miniPipeline } from './mini-pipeline.js';

/** What validation worked out, in comparable form. */
function summary(p: ValidatedPipeline) {
  return {
    spec: p.spec,
    order: p.order,
    tables: [...p.tables].map(([id, t]) => [id, [...t].map(([c, s]) => [c, s.type, s.sources])]),
    expressions: p.expressions.map((e) => [e.path, e.expression.text, e.expression.type]),
    label: [p.label.text, p.label.type],
    featureSources: p.featureSources,
  };
}

const entries = (cache: string): string[] => (fs.existsSync(cache) ? fs.readdirSync(cache).sort() : []);

describe('pipeline files: the cache of schema-checked pipelines', () => {
  it('stores a valid file on a miss and gives the same validated pipeline as the loader, hit or miss', () =>
    withTempDir(async (dir) => {
      const file = path.join(dir, 'p.yaml');
      fs.writeFileSync(file, miniPipeline);
      const cache = pipelineSpecCacheDir(dir);
      const want = summary(loadPipelineSpec(file));
      assert.deepEqual(summary(await loadPipelineSpecCached(file, cache)), want, 'miss');
      assert.equal(entries(cache).length, 1);
      assert.match(entries(cache)[0], /^[0-9a-f]{64}\.json$/);
      assert.deepEqual(summary(await loadPipelineSpecCached(file, cache)), want, 'hit');
      assert.equal(entries(cache).length, 1);
    }));

  it('reads a hit from its entry, not from the file', () =>
    withTempDir(async (dir) => {
      const file = path.join(dir, 'p.yaml');
      fs.writeFileSync(file, miniPipeline);
      const cache = pipelineSpecCacheDir(dir);
      await loadPipelineSpecCached(file, cache);
      const entry = path.join(cache, entries(cache)[0]);
      const stored = JSON.parse(fs.readFileSync(entry, 'utf8'));
      stored.spec.description = 'from the cache';
      fs.writeFileSync(entry, JSON.stringify(stored));
      assert.equal((await loadPipelineSpecCached(file, cache)).spec.description, 'from the cache');
    }));

  it('misses when the file changes', () =>
    withTempDir(async (dir) => {
      const file = path.join(dir, 'p.yaml');
      const cache = pipelineSpecCacheDir(dir);
      fs.writeFileSync(file, miniPipeline);
      await loadPipelineSpecCached(file, cache);
      fs.writeFileSync(file, mini('log_amount: log(amount)', 'log_amount: log(amount + 1)'));
      const p = await loadPipelineSpecCached(file, cache);
      assert.deepEqual(summary(p), summary(loadPipelineSpec(file)));
      assert.ok(p.expressions.some((e) => e.expression.text === 'log(amount + 1)'));
      assert.equal(entries(cache).length, 2);
    }));

  it('treats an unreadable entry, or one that no longer validates, as a miss and stores the file again', () =>
    withTempDir(async (dir) => {
      const file = path.join(dir, 'p.yaml');
      fs.writeFileSync(file, miniPipeline);
      const cache = pipelineSpecCacheDir(dir);
      await loadPipelineSpecCached(file, cache);
      const entry = path.join(cache, entries(cache)[0]);
      const good = fs.readFileSync(entry, 'utf8');
      const want = summary(loadPipelineSpec(file));
      for (const bad of [
        '{"format": "traceprop.pipeline-cache/1", "spec": ', // cut short
        JSON.stringify({ format: 'another/1', spec: JSON.parse(good).spec }),
        good.replace('"left":"big"', '"left":"nowhere"'), // a step input validation refuses
      ]) {
        assert.notEqual(bad, good);
        fs.writeFileSync(entry, bad);
        assert.deepEqual(summary(await loadPipelineSpecCached(file, cache)), want);
        assert.equal(fs.readFileSync(entry, 'utf8'), good, 'the entry is stored again');
      }
    }));

  it("gives the loader's located errors and stores nothing for a file that does not validate", () =>
    withTempDir(async (dir) => {
      const cache = pipelineSpecCacheDir(dir);
      const cases: [string, string][] = [
        [mini('log(amount)', 'log(amount_x)'), 'pipeline.unknownColumn'],
        [mini('cardinality: many-to-one', 'cardinality: several'), 'pipeline.invalidValue'],
        ['format: traceprop.pipeline/1\nname: [', 'pipeline.badYaml'],
      ];
      for (const [text, code] of cases) {
        const file = path.join(dir, 'bad.yaml');
        fs.writeFileSync(file, text);
        const want = (() => {
          try {
            loadPipelineSpec(file);
          } catch (err) {
            return err;
          }
          assert.fail(`${code}: the loader accepted the file`);
        })();
        await assert.rejects(loadPipelineSpecCached(file, cache), (err: unknown) => {
          assert.ok(err instanceof PipelineSpecError);
          assert.equal(err.code, code);
          assert.equal(err.message, (want as Error).message);
          return true;
        });
      }
      await assert.rejects(loadPipelineSpecCached(path.join(dir, 'absent.yaml'), cache), {
        code: 'pipeline.unreadable',
      });
      assert.deepEqual(entries(cache), []);
    }));

  it('keys its entries on the code of every module the schema is built from', () => {
    // The relative runtime imports of pipeline-schema.ts, followed to the end.
    const src = path.join(packageRoot, 'src', 'pipeline-spec');
    const found = new Set<string>();
    const visit = (file: string) => {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)\.js';/gms)) {
        const next = path.resolve(path.dirname(file), `${m[1]}.ts`);
        if (found.has(next)) continue;
        found.add(next);
        visit(next);
      }
    };
    const root = path.join(src, 'pipeline-schema.ts');
    found.add(root);
    visit(root);
    const listed = schemaModules.map((m) => path.resolve(src, m.replace(/\.js$/, '.ts')));
    assert.deepEqual(new Set(listed), found);
  });
});
