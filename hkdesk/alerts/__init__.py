"""Price, change, move and volume-surge alerts: definitions, the evaluator, storage and CLI verbs.

Qt-free. The evaluator runs on the receive path (``AlertEvaluator.evaluate`` on every tick
batch); storage is a small SQLite file in the config folder, written off the event loop.
"""
