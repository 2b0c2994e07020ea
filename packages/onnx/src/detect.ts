/**
 * Whether a folder's file names look like a Hugging Face ONNX encoder-decoder
 * export (config.json plus an encoder graph, at the top or under onnx/) or a
 * seqloom ONNX export (config.json plus decoder_step.onnx), as opposed to a
 * seqloom checkpoint. `has` answers for a relative file name.
 */
export async function isOnnxExportFolder(has: (name: string) => Promise<boolean>): Promise<boolean> {
  if (!(await has('config.json'))) return false;
  if (await has('decoder_step.onnx')) return true;
  for (const dir of ['onnx/', '']) {
    for (const suffix of ['', '_fp16', '_quantized', '_int8', '_uint8', '_q8', '_q4', '_q4f16', '_bnb4']) {
      if (await has(`${dir}encoder_model${suffix}.onnx`)) return true;
    }
  }
  return false;
}
