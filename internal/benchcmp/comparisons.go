package benchcmp

// All is every comparison of `make bench`, in the order of the table.
func All() []Comparison {
	return []Comparison{
		replicationSmallFiles(),
		replicationOneFile(),
		emptyCycle(),
		checkpointCycle(),
		planTime(),
		etcdSave(),
		manifestScan(),
		manifestObserve(),
	}
}
