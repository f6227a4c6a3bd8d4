"""ctypes bindings of the project's two C libraries.

libAttnCompilerC.so (include/attn-c/Compiler.h, built with the compiler,
needs nothing at run time) and libAttnRuntimeC.so (include/attn-c/Runtime.h,
built by runtime/ wherever CUDA is). Each is looked for, in order, in the
folders of $ATTN_LIBRARY_PATH, in the package's _lib/ folder, in build/lib
of the source checkout the package sits in, and by the system's loader.
"""
import ctypes
import os
import struct
import threading

_HERE = os.path.dirname(os.path.abspath(__file__))


class LibraryNotFoundError(RuntimeError):
    """One of the project's C libraries is not where the package looks."""


def _candidates(filename):
    folders = [p for p in os.environ.get("ATTN_LIBRARY_PATH", "").split(os.pathsep) if p]
    folders.append(os.path.join(_HERE, "_lib"))
    folders.append(os.path.join(os.path.dirname(os.path.dirname(_HERE)), "build", "lib"))
    return [os.path.join(f, filename) for f in folders]


def _load(filename):
    tried = []
    for path in _candidates(filename):
        if os.path.exists(path):
            return ctypes.CDLL(path), path
        tried.append(path)
    try:
        return ctypes.CDLL(filename), filename
    except OSError:
        tried.append(f"{filename} (system loader)")
    raise LibraryNotFoundError(
        f"{filename} not found; looked in: {', '.join(tried)}. "
        "Build the project (scripts/build.sh) or set ATTN_LIBRARY_PATH "
        "to the folder that holds it")


class StringRef(ctypes.Structure):
    """MlirStringRef."""
    _fields_ = [("data", ctypes.c_void_p), ("length", ctypes.c_size_t)]

    @classmethod
    def of(cls, data: bytes):
        ref = cls(ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p), len(data))
        ref._keep = data  # the bytes must outlive the call
        return ref

    def bytes(self) -> bytes:
        return ctypes.string_at(self.data, self.length) if self.length else b""


class CompileOptions(ctypes.Structure):
    """AttnCompileOptions."""
    _fields_ = [("chip", ctypes.c_char_p), ("cudaPath", ctypes.c_char_p),
                ("ptxasPath", ctypes.c_char_p), ("withCubin", ctypes.c_bool),
                ("kvChunk", ctypes.c_int64)]


MAX_RANK = 5  # ATTN_MAX_RANK


class Tensor(ctypes.Structure):
    """AttnTensor: a device pointer with sizes and strides in elements."""
    _fields_ = [("data", ctypes.c_uint64), ("rank", ctypes.c_int64),
                ("sizes", ctypes.c_int64 * MAX_RANK),
                ("strides", ctypes.c_int64 * MAX_RANK)]


# Tensor's bytes as struct packs them (every field 8 bytes, no padding):
# filling an array of descriptors by one pack is several times faster than
# through ctypes' field setters.
TENSOR_FORMAT = f"Qq{MAX_RANK}q{MAX_RANK}q"
assert struct.calcsize("=" + TENSOR_FORMAT) == ctypes.sizeof(Tensor)


def _declare(lib, name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype, fn.argtypes = restype, list(argtypes)


def _declare_compiler(lib):
    vp = ctypes.c_void_p
    _declare(lib, "attnContextCreate", vp)
    _declare(lib, "mlirContextDestroy", None, vp)
    _declare(lib, "attnCompileSource", vp, vp, StringRef, StringRef, CompileOptions)
    _declare(lib, "attnCompileResultSucceeded", ctypes.c_bool, vp)
    for getter in ("Errors", "KernelName", "Ptx", "Cubin", "Manifest", "PtxasInfo"):
        _declare(lib, "attnCompileResultGet" + getter, StringRef, vp)
    _declare(lib, "attnCompileResultWrite", ctypes.c_bool, vp, StringRef)
    _declare(lib, "attnCompileResultDestroy", None, vp)


def _declare_runtime(lib):
    vp = ctypes.c_void_p
    _declare(lib, "attnRuntimeInitialize", ctypes.c_int, ctypes.c_int)
    _declare(lib, "attnKernelLoad", ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(vp))
    _declare(lib, "attnKernelDestroy", None, vp)
    _declare(lib, "attnKernelNumTensors", ctypes.c_int, vp)
    _declare(lib, "attnKernelTensorName", ctypes.c_char_p, vp, ctypes.c_int)
    _declare(lib, "attnKernelLaunch", ctypes.c_int, vp,
             ctypes.POINTER(Tensor), ctypes.c_int, vp)
    _declare(lib, "attnRuntimeGetLastError", ctypes.c_char_p)


_lock = threading.Lock()
_loaded = {}  # file name -> (CDLL, path)


def _load_once(filename, declare):
    with _lock:
        if filename not in _loaded:
            lib, path = _load(filename)
            declare(lib)
            _loaded[filename] = (lib, path)
        return _loaded[filename]


def compiler():
    """The compiler library, loaded once; (CDLL, path)."""
    return _load_once("libAttnCompilerC.so", _declare_compiler)


def runtime():
    """The runtime library, loaded once; (CDLL, path)."""
    return _load_once("libAttnRuntimeC.so", _declare_runtime)
