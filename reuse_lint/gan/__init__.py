"""The reference GAN and its broken variants. The only package besides `trace` that imports
TensorFlow, and only inside functions, so importing it costs nothing."""
