import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendLeaf, emptyFrontier, frontierRoot } from '../../src/evidence/merkle-frontier.js';
import { leafHash } from '../../src/evidence/merkle-hash.js';
import { consistencyProof, inclusionProof } from '../../src/evidence/merkle-proofs.js';
import { merkleRoot } from '../../src/evidence/merkle-root.js';
import { verifyConsistency, verifyInclusion } from '../../src/evidence/verify-merkle-proofs.js';

/** RFC 6962 §2.1 Merkle Tree Hash, written down as the RFC's recursion (independent of src/). */
function referenceRoot(entries: Buffer[]): Buffer {
  const sha = (...parts: Buffer[]) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return h.digest();
  };
  if (entries.length === 0) return sha();
  if (entries.length === 1) return sha(Buffer.from([0]), entries[0]);
  let k = 1;
  while (k << 1 < entries.length) k <<= 1;
  return sha(Buffer.from([1]), referenceRoot(entries.slice(0, k)), referenceRoot(entries.slice(k)));
}

const entriesOf = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`, 'utf8'));
const flip = (b: Buffer) => {
  const c = Buffer.from(b);
  c[0] ^= 1;
  return c;
};

describe('RFC 6962 Merkle tree (src/evidence)', () => {
  // The eight inputs of the Certificate Transparency test vectors, and the roots of their prefixes.
  const ctInputs = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ].map((h) => Buffer.from(h, 'hex'));
  const ctRoots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];

  it('hashes the empty tree to SHA-256 of nothing and the CT test vectors to their published roots', () => {
    assert.equal(
      merkleRoot([]).toString('hex'),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.equal(frontierRoot(emptyFrontier()).toString('hex'), merkleRoot([]).toString('hex'));
    const leaves = ctInputs.map((e) => leafHash(e));
    for (let n = 1; n <= 8; n++) {
      assert.equal(merkleRoot(leaves, 0, n).toString('hex'), ctRoots[n - 1], `root of ${n} leaves`);
      assert.equal(
        referenceRoot(ctInputs.slice(0, n)).toString('hex'),
        ctRoots[n - 1],
        `reference root of ${n}`,
      );
    }
  });

  it("gives the RFC recursion's root for every size up to 70 and some non-powers of two, level by level and through the right edge", () => {
    const sizes = [...Array.from({ length: 70 }, (_, i) => i + 1), 127, 129, 1000, 1023, 1025];
    const entries = entriesOf(1025);
    const leaves = entries.map((e) => leafHash(e));
    let frontier = emptyFrontier();
    for (let n = 1; n <= 1025; n++) {
      frontier = appendLeaf(frontier, leaves[n - 1]);
      if (!sizes.includes(n)) continue;
      const expected = referenceRoot(entries.slice(0, n)).toString('hex');
      assert.equal(merkleRoot(leaves, 0, n).toString('hex'), expected, `level-by-level root of ${n}`);
      assert.equal(frontierRoot(frontier).toString('hex'), expected, `right-edge root of ${n}`);
      assert.equal(frontier.hashes.length, n.toString(2).replace(/0/g, '').length, `right edge of ${n}`);
    }
  });

  it('proves and verifies the inclusion of every leaf of every tree up to 33 leaves', () => {
    const entries = entriesOf(33);
    const leaves = entries.map((e) => leafHash(e));
    for (let n = 1; n <= 33; n++) {
      const root = referenceRoot(entries.slice(0, n));
      for (let m = 0; m < n; m++) {
        const path = inclusionProof(leaves, m, n);
        assert.ok(verifyInclusion(leaves[m], m, n, path, root), `leaf ${m} of ${n}`);
      }
    }
  });

  it('rejects a wrong leaf, index, size, root, a changed, missing or extra proof hash', () => {
    const entries = entriesOf(21);
    const leaves = entries.map((e) => leafHash(e));
    const root = referenceRoot(entries);
    const path = inclusionProof(leaves, 13, 21);
    assert.ok(verifyInclusion(leaves[13], 13, 21, path, root));
    assert.equal(verifyInclusion(leaves[12], 13, 21, path, root), false, 'another leaf');
    assert.equal(verifyInclusion(leafHash('entry 13 changed'), 13, 21, path, root), false, 'a changed entry');
    assert.equal(verifyInclusion(leaves[13], 12, 21, path, root), false, 'another index');
    assert.equal(verifyInclusion(leaves[13], 13, 40, path, root), false, 'another size');
    assert.equal(verifyInclusion(leaves[13], 13, 21, path, flip(root)), false, 'another root');
    assert.equal(verifyInclusion(leaves[13], 21, 21, path, root), false, 'index past the tree');
    for (let k = 0; k < path.length; k++) {
      const changed = path.slice();
      changed[k] = flip(changed[k]);
      assert.equal(verifyInclusion(leaves[13], 13, 21, changed, root), false, `proof hash ${k} changed`);
    }
    assert.equal(verifyInclusion(leaves[13], 13, 21, path.slice(0, -1), root), false, 'a hash missing');
    assert.equal(verifyInclusion(leaves[13], 13, 21, [...path, path[0]], root), false, 'an extra hash');
  });

  it('proves and verifies consistency between every pair of sizes up to 33', () => {
    const entries = entriesOf(33);
    const leaves = entries.map((e) => leafHash(e));
    const roots = [
      Buffer.alloc(0),
      ...Array.from({ length: 33 }, (_, i) => referenceRoot(entries.slice(0, i + 1))),
    ];
    for (let n = 1; n <= 33; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(leaves, m, n);
        assert.ok(verifyConsistency(m, n, roots[m], roots[n], proof), `${m} → ${n}`);
        if (m < n) {
          assert.equal(
            verifyConsistency(m, n, flip(roots[m]), roots[n], proof),
            false,
            `${m} → ${n}, old root changed`,
          );
          assert.equal(
            verifyConsistency(m, n, roots[m], flip(roots[n]), proof),
            false,
            `${m} → ${n}, new root changed`,
          );
          for (let k = 0; k < proof.length; k++) {
            const changed = proof.slice();
            changed[k] = flip(changed[k]);
            assert.equal(
              verifyConsistency(m, n, roots[m], roots[n], changed),
              false,
              `${m} → ${n}, hash ${k} changed`,
            );
          }
        }
      }
    }
  });

  it('rejects consistency with a tree whose old part was changed, and a shrunk tree', () => {
    const entries = entriesOf(20);
    const changed = entries.slice();
    changed[3] = Buffer.from('entry 3, rewritten');
    const leaves = changed.map((e) => leafHash(e));
    const oldRoot = referenceRoot(entries.slice(0, 7));
    const proof = consistencyProof(leaves, 7, 20);
    assert.equal(verifyConsistency(7, 20, oldRoot, merkleRoot(leaves), proof), false);
    assert.equal(verifyConsistency(20, 7, referenceRoot(entries), oldRoot, []), false);
  });

  it('needs at most 17 hashes to prove a leaf of a 100,000-leaf tree', () => {
    const leaves = Array.from({ length: 100_000 }, (_, i) => leafHash(`e${i}`));
    const root = merkleRoot(leaves);
    for (const m of [0, 1, 65_535, 65_536, 99_998, 99_999]) {
      const path = inclusionProof(leaves, m);
      assert.ok(path.length <= 17, `leaf ${m}: ${path.length} hashes`);
      assert.ok(verifyInclusion(leaves[m], m, 100_000, path, root));
    }
    assert.ok(
      verifyConsistency(
        65_537,
        100_000,
        merkleRoot(leaves, 0, 65_537),
        root,
        consistencyProof(leaves, 65_537),
      ),
    );
  });
});
