// The NCF toolkit: one import for the whole public API.
@_exported import NCFFileSystem
@_exported import NCFTensor
@_exported import NCFAutodiff
@_exported import NCFNetworks
@_exported import NCFTransport
@_exported import NCFFlows
@_exported import NCFData
@_exported import NCFImages
@_exported import NCFFigures
@_exported import NCFBenchmarks
@_exported import NCFApplications
