// The NCF toolkit: one import for the whole public API.
@_exported import NCFTensor
@_exported import NCFAutodiff
@_exported import NCFNetworks
