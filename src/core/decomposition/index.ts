/** Matrix decompositions: exact PCA (./pca) for the embedding scatter view. */
export * from './pca'
