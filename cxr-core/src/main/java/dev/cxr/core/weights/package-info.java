/**
 * Weights: readers for PyTorch weight files into a {@link dev.cxr.core.weights.StateDict} of {@link
 * dev.cxr.core.weights.Tensor}s, through {@link dev.cxr.core.weights.WeightFiles#read}. The format
 * is told from the bytes: safetensors, a {@code torch.save} zip archive (PyTorch 1.6 and later), or
 * a legacy {@code torch.save} file.
 *
 * <h2>No code from a weight file is run</h2>
 *
 * A {@code .pt} file is a Python pickle, and a pickle may call any Python function. The pickles
 * here are read by a restricted unpickler that runs nothing: it interprets an explicit allow-list
 * of opcodes (the binary ones of protocols 2 to 5 that {@code torch.save} writes) and of globals,
 * each of which Java code stands in for:
 *
 * <ul>
 *   <li>containers: {@code collections.OrderedDict}, {@code builtins.set}, {@code
 *       builtins.frozenset}, {@code builtins.object} and {@code copyreg._reconstructor} (only as
 *       {@code (class, object, None)} to make an instance of a record class), {@code
 *       _codecs.encode} (only {@code (str, 'latin1')}: how protocol 2 writes bytes);
 *   <li>tensors: {@code torch._utils._rebuild_tensor_v2}, {@code _rebuild_tensor}, {@code
 *       _rebuild_parameter}, {@code _rebuild_parameter_with_state}, {@code
 *       torch._tensor._rebuild_from_type_v2} (of {@code torch.Tensor} or {@code
 *       torch.nn.parameter.Parameter}), {@code torch.nn.parameter.Parameter}, the storage classes
 *       {@code torch.FloatStorage}, {@code HalfStorage}, {@code BFloat16Storage}, {@code
 *       DoubleStorage}, {@code LongStorage}, {@code IntStorage}, {@code ShortStorage}, {@code
 *       CharStorage}, {@code ByteStorage}, {@code BoolStorage}, and {@code torch.Size}, {@code
 *       torch.device};
 *   <li>record classes: every class of a module under {@link
 *       dev.cxr.core.weights.WeightLimits#RECORD_CLASS_PREFIXES} ({@code torch.nn.modules.}, {@code
 *       torch.nn.parallel.data_parallel.}, {@code torchvision.models.}, {@code torchvision.ops.},
 *       {@code torchxrayvision.}), so that a whole pickled {@code nn.Module} ({@code
 *       torch.save(model)}, as torchxrayvision publishes its models) can be read; and a few globals
 *       that checkpoints carry as plain data ({@code argparse.Namespace}, numpy's {@code scalar},
 *       {@code _reconstruct}, {@code ndarray}, {@code dtype}, and old PyTorch's {@code
 *       torch.nn.backends.thnn._get_thnn_function_backend}). Such a class is never looked up:
 *       NEWOBJ, REDUCE or {@code copyreg._reconstructor} of it gives an inert record, BUILD fills
 *       the record's {@code __dict__}, and the reader takes a module's {@code _parameters}, {@code
 *       _buffers} and {@code _modules} from it to make the keys {@code module.state_dict()} would.
 * </ul>
 *
 * Any other global ({@code os.system}, which pickles as {@code posix.system}, {@code
 * builtins.eval}, {@code builtins.getattr}, {@code subprocess.Popen}, {@code __main__.Foo}, {@code
 * torch.storage._load_from_bytes}, which would load a second file from inside the first) is refused
 * when the pickle names it, in one line: {@code refused global 'posix.system' (not on the
 * allow-list; cxr never runs code from a weight file)}.
 *
 * <p>Compared with {@code torch.load(weights_only=True)} (PyTorch 1.13's {@code
 * _weights_only_unpickler}): that unpickler too resolves only listed globals ({@code OrderedDict},
 * {@code torch.nn.Parameter}, {@code torch.Size}, {@code torch.Tensor}, the tensor and storage
 * classes, dtypes, the rebuild functions including sparse and meta tensors) and refuses every other
 * class, so it cannot load a whole pickled {@code nn.Module} (nor the {@code set} inside one). cxr
 * reads the same kinds of values, less sparse, meta and complex tensors and dtypes, and in addition
 * whole modules of the record-class packages above, as inert records whose classes it never imports
 * or calls; what {@code weights_only} guards against, running code named by the file, stays
 * impossible.
 *
 * <h2>Limits</h2>
 *
 * {@link dev.cxr.core.weights.WeightLimits} bounds, before anything is allocated, the file size,
 * the number of tensors, the elements of a tensor, a safetensors header, the pickle's length,
 * nesting depth, opcodes and memo; string, bytes and storage lengths are checked against the bytes
 * left in the file or its zip entry, tensor views against their storage.
 *
 * <p>Imports only {@code dev.cxr.core.io}; nothing in cxr-core depends on it yet.
 */
package dev.cxr.core.weights;
