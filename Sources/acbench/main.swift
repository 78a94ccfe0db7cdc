print("acbench")
