//===- attn-run.cpp - run and check an attn kernel artifact ---------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
//   attn-run DIR --batch 2 --heads 8 --kv-heads 2 --seq-q 77 --seq-kv 1000
//   attn-run DIR ... --bench
//
// Fills Q, K, V with fresh random values (seed printed), poisons O (and LSE)
// with NaN, launches, checks that every output was written and compares with
// a float64 reference on the CPU: every row when the problem is small, a
// sample of rows otherwise. Prints the relative error (max |err| / max |ref|)
// and PASS or FAIL. --bench times the kernel with CUDA events (warm-up, then
// the median of many launches over rotating inputs) and prints TFLOP/s.
//
// A kernel of a paged K/V cache gets --seq-kv keys in every sequence with
// --bench, else ragged lengths up to it (the first sequence full, one empty
// from three sequences on); its pages are handed out in a random order and
// the block table's entries past a sequence's pages are -1.
//
//===----------------------------------------------------------------------===//

#include "ToolSupport.h"

#include "attn-runtime/Runtime.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace attn::runtime;

const char *const attn::runtime::tool::kName = "attn-run";

namespace {

struct Options {
  std::string dir;
  int64_t batch = 1, heads = 1, kvHeads = -1, seqQ = 128, seqKv = -1;
  uint64_t seed = 0;
  bool bench = false;
  int iterations = 30;
  double tolerance = 1e-2;
};

using tool::die;

Options parse(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc)
        die(a + " needs a value");
      return argv[++i];
    };
    auto number = [&]() {
      std::string v = next();
      char *end;
      errno = 0;
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end || n < 0 || errno == ERANGE || n > INT32_MAX)
        die(a + ": not an integer from 0 to " + std::to_string(INT32_MAX) +
            ": " + v);
      return static_cast<int64_t>(n);
    };
    if (a == "--batch")
      o.batch = number();
    else if (a == "--heads")
      o.heads = number();
    else if (a == "--kv-heads")
      o.kvHeads = number();
    else if (a == "--seq-q")
      o.seqQ = number();
    else if (a == "--seq-kv")
      o.seqKv = number();
    else if (a == "--seed")
      o.seed = number();
    else if (a == "--iterations")
      o.iterations = static_cast<int>(std::min<int64_t>(number(), 1 << 20));
    else if (a == "--tolerance") {
      std::string v = next();
      char *end;
      o.tolerance = std::strtod(v.c_str(), &end);
      if (*end || v.empty() || !(o.tolerance > 0))
        die(a + ": not a positive number: " + v);
    } else if (a == "--bench")
      o.bench = true;
    else if (!a.empty() && a[0] != '-' && o.dir.empty())
      o.dir = a;
    else
      die("unknown argument " + a);
  }
  if (o.dir.empty())
    die("usage: attn-run DIR --batch B --heads H [--kv-heads HK] --seq-q SQ "
        "[--seq-kv SKV] [--seed N] [--bench] [--iterations N]");
  if (o.kvHeads < 0)
    o.kvHeads = o.heads;
  if (o.seqKv < 0)
    o.seqKv = o.seqQ;
  if (o.kvHeads == 0 || o.heads % o.kvHeads != 0)
    die("--heads must be a multiple of --kv-heads");
  if (!o.seed)
    o.seed = std::random_device{}();
  return o;
}

// 16-bit floats on the host.
uint16_t toHalfBits(float f, bool bf16) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if (bf16)
    return static_cast<uint16_t>((x + 0x7fff + ((x >> 16) & 1)) >> 16);
  // IEEE half, round to nearest even (inputs are small and normal here).
  uint32_t sign = (x >> 16) & 0x8000;
  int32_t exp = static_cast<int32_t>((x >> 23) & 0xff) - 127 + 15;
  uint32_t mant = x & 0x7fffff;
  if (exp <= 0)
    return static_cast<uint16_t>(sign);
  uint32_t h = sign | (exp << 10) | (mant >> 13);
  uint32_t rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
    ++h;
  return static_cast<uint16_t>(h);
}

double fromHalfBits(uint16_t h, bool bf16) {
  if (bf16) {
    uint32_t x = static_cast<uint32_t>(h) << 16;
    float f;
    std::memcpy(&f, &x, 4);
    return f;
  }
  uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  if (exp == 31)
    return mant ? NAN : (sign ? -INFINITY : INFINITY);
  double v = exp ? std::ldexp(1.0 + mant / 1024.0, exp - 15)
                 : std::ldexp(mant / 1024.0, -14);
  return sign ? -v : v;
}

bool visible(const AttentionSemantics &s, int64_t i, int64_t j, int64_t sq,
             int64_t skv) {
  int64_t delta = j - (i + skv - sq);
  if (s.mask == "causal")
    return delta <= 0;
  if (s.window)
    return delta >= -s.window->first && delta <= s.window->second;
  return true;
}

} // namespace

int main(int argc, char **argv) {
  Options o = parse(argc, argv);
  std::string error;
  if (!initialize(0, error))
    die(error);
  std::unique_ptr<Kernel> kernel = Kernel::load(o.dir, error);
  if (!kernel)
    die(error);
  const Manifest &m = kernel->manifest();
  if (!m.attention)
    die("the manifest has no \"attention\" member: attn-run runs attention "
        "kernels only");
  const AttentionSemantics &sem = *m.attention;

  // The manifest guarantees these tensors (and lse exactly when sem.lse).
  const TensorDecl &query = m.tensors[m.findTensor("query")];
  Element element = query.element;
  if (element != Element::BF16 && element != Element::F16)
    die(std::string("unsupported element type ") + elementName(element));
  for (const TensorDecl &t : m.tensors) {
    Element expected = t.name == "lse" ? Element::F32
                       : t.name == "block_table" || t.name == "cache_lengths"
                           ? Element::I32
                           : element;
    if (t.element != expected)
      die("the kernel's " + t.name + " is " + elementName(t.element) +
          "; attn-run needs " + elementName(expected));
  }
  bool bf16 = element == Element::BF16;
  // Q and K have head dim d, V and O head dim dv.
  int64_t d = query.shape[3];
  int64_t dv = m.tensors[m.findTensor("value")].shape[3];
  if (d < 0 || dv < 0)
    die("the kernel's head dim is dynamic; attn-run needs a static one");
  int64_t B = o.batch, H = o.heads, HK = o.kvHeads, SQ = o.seqQ, SK = o.seqKv;
  // A paged cache: its page size, and each sequence's length and pages.
  bool paged = sem.paged;
  int64_t pageSize = paged ? m.tensors[m.findTensor("key")].shape[1] : 0;
  if (paged && pageSize <= 0)
    die("the kernel's page size is dynamic; attn-run needs a static one");

  std::printf(
      "kernel %s (%s, %s) on %s%s, seed %llu\n", m.kernel.c_str(),
      m.chip.c_str(),
      kernel->usesCubin() ? "cubin" : "PTX through the driver JIT",
      sem.mask.c_str(),
      paged ? (", paged cache of " + std::to_string(pageSize) + "-key pages")
                  .c_str()
            : "",
      static_cast<unsigned long long>(o.seed));

  // Inputs: a few rotating copies for --bench, so that caches start cold.
  int copies = o.bench ? 4 : 1;
  // Host copies and a float64 reference: keep them to what a host holds
  // (2^32 elements each, 8 GiB of bf16), and the products exact.
  const int64_t limit = int64_t(1) << 32;
  for (int64_t heads : {H, HK}) {
    int64_t elems = 1;
    for (int64_t n : {B, heads, std::max(SQ, SK), std::max(d, dv)}) {
      if (n && elems > limit / n)
        die("the problem is too large for attn-run (more than 2^32 elements "
            "per tensor)");
      elems *= n;
    }
  }
  std::mt19937_64 rng(o.seed);
  std::vector<int32_t> lengths(B, static_cast<int32_t>(SK)), table;
  int64_t maxPages = 0, pages = 0;
  if (paged) {
    if (!o.bench) {
      std::uniform_int_distribution<int64_t> length(0, SK);
      for (int64_t b = 1; b < B; ++b)
        lengths[b] = static_cast<int32_t>(length(rng));
      if (B >= 3)
        lengths[B / 2] = 0;
    }
    maxPages = (SK + pageSize - 1) / pageSize + 1;
    std::vector<int32_t> order;
    for (int64_t b = 0; b < B; ++b)
      pages += (lengths[b] + pageSize - 1) / pageSize;
    pages += 3; // never read
    for (int64_t p = 0; p < pages; ++p)
      order.push_back(static_cast<int32_t>(p));
    std::shuffle(order.begin(), order.end(), rng);
    table.assign(B * maxPages, -1);
    size_t next = 0;
    for (int64_t b = 0; b < B; ++b)
      for (int64_t p = 0; p * pageSize < lengths[b]; ++p)
        table[b * maxPages + p] = order[next++];
  }
  // K and V's leading dims: [B, HK, SK], or the cache's [pages, page, HK].
  const int64_t kvDims[3] = {paged ? pages : B, paged ? pageSize : HK,
                             paged ? HK : SK};
  int64_t kvRows = kvDims[0] * kvDims[1] * kvDims[2];
  size_t qElems = B * H * SQ * d, kvElems = kvRows * d;
  size_t vElems = kvRows * dv, oElems = B * H * SQ * dv;
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<uint16_t> hq(qElems), hk(kvElems), hv(vElems);
  for (auto &x : hq)
    x = toHalfBits(normal(rng), bf16);
  for (auto &x : hk)
    x = toHalfBits(normal(rng), bf16);
  for (auto &x : hv)
    x = toHalfBits(normal(rng), bf16);

  auto alloc = [&](size_t bytes) {
    CUdeviceptr p = 0;
    CHECK_CU(cuMemAlloc(&p, std::max<size_t>(bytes, 16)));
    return p;
  };
  std::vector<CUdeviceptr> dq, dk, dvs;
  for (int c = 0; c < copies; ++c) {
    dq.push_back(alloc(qElems * 2));
    dk.push_back(alloc(kvElems * 2));
    dvs.push_back(alloc(vElems * 2));
    CHECK_CU(cuMemcpyHtoD(dq.back(), hq.data(), qElems * 2));
    CHECK_CU(cuMemcpyHtoD(dk.back(), hk.data(), kvElems * 2));
    CHECK_CU(cuMemcpyHtoD(dvs.back(), hv.data(), vElems * 2));
  }
  CUdeviceptr dtable = 0, dlengths = 0;
  if (paged) {
    dtable = alloc(table.size() * 4);
    dlengths = alloc(lengths.size() * 4);
    CHECK_CU(cuMemcpyHtoD(dtable, table.data(), table.size() * 4));
    CHECK_CU(cuMemcpyHtoD(dlengths, lengths.data(), lengths.size() * 4));
  }
  CUdeviceptr dout = alloc(oElems * 2);
  CUdeviceptr dlse = alloc(B * H * SQ * 4);
  // Poison: NaN everywhere, so an element the kernel skips is caught.
  CHECK_CU(cuMemsetD16(dout, 0x7fff, oElems));
  CHECK_CU(cuMemsetD32(dlse, 0x7fc00000, B * H * SQ));

  auto views = [&](int c) {
    auto view4 = [](CUdeviceptr p, int64_t b, int64_t h, int64_t s,
                    int64_t dd) {
      return TensorView{p, {b, h, s, dd}, {h * s * dd, s * dd, dd, 1}};
    };
    // In the manifest's order, by name.
    std::vector<TensorView> v;
    for (const TensorDecl &t : m.tensors) {
      if (t.name == "query")
        v.push_back(view4(dq[c], B, H, SQ, d));
      else if (t.name == "key")
        v.push_back(view4(dk[c], kvDims[0], kvDims[1], kvDims[2], d));
      else if (t.name == "value")
        v.push_back(view4(dvs[c], kvDims[0], kvDims[1], kvDims[2], dv));
      else if (t.name == "block_table")
        v.push_back(TensorView{dtable, {B, maxPages}, {maxPages, 1}});
      else if (t.name == "cache_lengths")
        v.push_back(TensorView{dlengths, {B}, {1}});
      else if (t.name == "output")
        v.push_back(view4(dout, B, H, SQ, dv));
      else if (t.name == "lse")
        v.push_back(TensorView{dlse, {B, H, SQ}, {H * SQ, SQ, 1}});
      else
        die("the kernel takes a tensor named " + t.name +
            ", which attn-run does not provide");
    }
    return v;
  };
  if (!kernel->launch(views(0), nullptr, error))
    die(error);
  CHECK_CU(cuCtxSynchronize());

  std::vector<uint16_t> ho(oElems);
  std::vector<float> hl(B * H * SQ);
  CHECK_CU(cuMemcpyDtoH(ho.data(), dout, oElems * 2));
  CHECK_CU(cuMemcpyDtoH(hl.data(), dlse, hl.size() * 4));
  size_t unwritten = 0;
  for (uint16_t x : ho)
    unwritten += std::isnan(fromHalfBits(x, bf16));
  if (sem.lse)
    for (float x : hl)
      unwritten += std::isnan(x);

  // Reference rows: all of them for small problems, else a sample that
  // includes each sequence's first and last rows.
  std::vector<int64_t> rows; // flattened (b * H + h) * SQ + i
  double work = double(B) * H * SQ * SK * d;
  if (work <= 2e9) {
    for (int64_t r = 0; r < B * H * SQ; ++r)
      rows.push_back(r);
  } else {
    std::uniform_int_distribution<int64_t> pick(0, B * H * SQ - 1);
    for (int n = 0; n < 512; ++n)
      rows.push_back(pick(rng));
    rows.push_back(0);
    rows.push_back(B * H * SQ - 1);
  }
  double maxErr = 0, maxRef = 0, maxLseErr = 0;
  std::vector<double> s(SK), acc(dv);
  for (int64_t r : rows) {
    int64_t i = r % SQ, h = (r / SQ) % H, b = r / (SQ * H);
    int64_t kvh = h / (H / HK);
    const uint16_t *q = &hq[r * d];
    // Row of key j of this batch and head in K and V.
    int64_t keys = paged ? lengths[b] : SK;
    auto kvRow = [&](int64_t j) {
      if (!paged)
        return (b * HK + kvh) * SK + j;
      int64_t page = table[b * maxPages + j / pageSize];
      return (page * pageSize + j % pageSize) * HK + kvh;
    };
    double mx = -INFINITY;
    for (int64_t j = 0; j < SK; ++j) {
      if (j >= keys || !visible(sem, i, j, SQ, keys)) {
        s[j] = -INFINITY;
        continue;
      }
      const uint16_t *k = &hk[kvRow(j) * d];
      double dot = 0;
      for (int64_t e = 0; e < d; ++e)
        dot += fromHalfBits(q[e], bf16) * fromHalfBits(k[e], bf16);
      dot *= sem.scale;
      if (sem.softcap)
        dot = *sem.softcap * std::tanh(dot / *sem.softcap);
      s[j] = dot;
      mx = std::max(mx, dot);
    }
    std::fill(acc.begin(), acc.end(), 0.0);
    double l = 0;
    if (mx > -INFINITY) {
      for (int64_t j = 0; j < SK; ++j) {
        if (s[j] == -INFINITY)
          continue;
        double p = std::exp(s[j] - mx);
        l += p;
        const uint16_t *v = &hv[kvRow(j) * dv];
        for (int64_t e = 0; e < dv; ++e)
          acc[e] += p * fromHalfBits(v[e], bf16);
      }
    }
    for (int64_t e = 0; e < dv; ++e) {
      double ref = l > 0 ? acc[e] / l : 0.0;
      double got = fromHalfBits(ho[r * dv + e], bf16);
      maxRef = std::max(maxRef, std::fabs(ref));
      maxErr = std::max(maxErr, std::fabs(got - ref));
    }
    if (sem.lse) {
      double ref = l > 0 ? mx + std::log(l) : -INFINITY;
      double got = hl[r];
      double err = (std::isinf(ref) && ref == got) ? 0 : std::fabs(got - ref);
      maxLseErr = std::max(maxLseErr, std::isnan(err) ? INFINITY : err);
    }
  }
  double rel = maxRef > 0 ? maxErr / maxRef : maxErr;
  bool pass = unwritten == 0 && rel <= o.tolerance && !std::isnan(rel) &&
              maxLseErr <= o.tolerance;
  std::printf("checked %zu of %lld rows: max rel err %.3e (tol %.0e)",
              rows.size(), static_cast<long long>(B * H * SQ), rel,
              o.tolerance);
  if (sem.lse)
    std::printf(", lse max abs err %.3e", maxLseErr);
  std::printf(", unwritten %zu: %s\n", unwritten, pass ? "PASS" : "FAIL");

  if (o.bench && pass) {
    CUevent start, stop;
    CHECK_CU(cuEventCreate(&start, CU_EVENT_DEFAULT));
    CHECK_CU(cuEventCreate(&stop, CU_EVENT_DEFAULT));
    for (int w = 0; w < 5; ++w)
      if (!kernel->launch(views(w % copies), nullptr, error))
        die(error);
    std::vector<float> times;
    for (int it = 0; it < o.iterations; ++it) {
      CHECK_CU(cuEventRecord(start, nullptr));
      if (!kernel->launch(views(it % copies), nullptr, error))
        die(error);
      CHECK_CU(cuEventRecord(stop, nullptr));
      CHECK_CU(cuEventSynchronize(stop));
      float ms = 0;
      CHECK_CU(cuEventElapsedTime(&ms, start, stop));
      times.push_back(ms);
    }
    std::sort(times.begin(), times.end());
    double ms = times[times.size() / 2];
    // Q K^T and P V: 2 S_q S_kv (d + dv) per head.
    double flops = 2.0 * B * H * SQ * SK * (d + dv);
    if (sem.mask == "causal")
      flops /= 2;
    std::printf("bench: median %.4f ms over %d runs, %.1f TFLOP/s\n", ms,
                o.iterations, flops / (ms * 1e-3) / 1e12);
  }
  return pass ? 0 : 1;
}
