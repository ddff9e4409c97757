"""What every baseline shares: the extractor protocol, benchmark sentences with their words,
numbers in words, proximity arguments, assembling a valid prediction, cross-validation.

Offsets are half-open ``[start, end)`` code-point indices into the document text.
"""
