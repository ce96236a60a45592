// Reads a barcode (EAN-13, Code 128, QR and the other common kinds) off a photo the camera
// just took or a picture picked: the browser's own BarcodeDetector where it has one (Chrome
// on Android), else ZXing (public/vendor/zxing.min.js, loaded the first time it is needed).
// The add-meter wizard calls `self.uchetScan(file)` and gets the text, or null when no code
// was found on the picture.
(function () {
  'use strict';
  const ZXING = '/vendor/zxing.min.js';
  let loading = null;

  function zxing() {
    if (self.ZXing) return Promise.resolve(self.ZXing);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        const s = document.createElement('script');
        s.src = ZXING;
        s.onload = function () { resolve(self.ZXing); };
        s.onerror = function () { loading = null; reject(new Error('the barcode decoder did not load')); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  async function withDetector(bitmap) {
    if (!('BarcodeDetector' in self)) return undefined;
    try {
      const found = await new self.BarcodeDetector().detect(bitmap);
      return found.length ? found[0].rawValue : null;
    } catch (e) {
      return undefined; // a detector without these formats: ZXing reads it
    }
  }

  function withZxing(Z, bitmap) {
    // the picture at most 1600 px wide: a phone photo decodes in a fraction of a second
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    g.drawImage(bitmap, 0, 0, w, h);
    const rgba = g.getImageData(0, 0, w, h).data;
    const grey = new Uint8ClampedArray(w * h);
    for (let i = 0; i < w * h; i++) {
      grey[i] = (rgba[i * 4] * 306 + rgba[i * 4 + 1] * 601 + rgba[i * 4 + 2] * 117) >> 10;
    }
    const hints = new Map();
    hints.set(Z.DecodeHintType.TRY_HARDER, true);
    const reader = new Z.MultiFormatReader();
    reader.setHints(hints);
    const attempt = function (source) {
      try {
        return reader.decode(new Z.BinaryBitmap(new Z.HybridBinarizer(source))).getText();
      } catch (e) {
        return null;
      }
    };
    const source = new Z.RGBLuminanceSource(grey, w, h);
    // a label photographed sideways reads after a quarter turn
    return attempt(source) || (source.isRotateSupported() ? attempt(source.rotateCounterClockwise()) : null);
  }

  self.uchetScan = async function (file) {
    const bitmap = await createImageBitmap(file);
    try {
      const found = await withDetector(bitmap);
      if (found !== undefined && found !== null) return found;
      return withZxing(await zxing(), bitmap);
    } finally {
      if (bitmap.close) bitmap.close();
    }
  };
})();
