"""Stenosis Coach: guided home exercise for sciatica from lumbar spinal stenosis."""
