"""The skill-gap recommender's engine: plain Python, NumPy and SciPy, no Django.

Everything here runs in a batch job, a benchmark or a test without a database. The Django
side (`lms.skills.selectors`, `services`) builds the inputs from models and calls in.

- `matching`   phrase → skill cascade: exact/alternative label, TF-IDF char n-grams, MiniLM
- `encoder`    the all-MiniLM-L6-v2 sentence encoder in NumPy (no torch)
- `gap`        exact weighted level gap, readiness, role ranking (one learner or a batch)
- `path`       learning path: weighted set cover with prerequisite closure, topological order
- `artefact`   the versioned HDF5 file: taxonomy, embeddings, role matrices, batch results
- `taxonomy`   reading the pinned ESCO wheels (zipfile only, never imported)
"""
