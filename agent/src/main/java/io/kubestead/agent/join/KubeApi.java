package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The few Kubernetes API calls the agent makes (the join lock, status, node purge): JSON objects by path. Failures other than "not found" are
 * {@link KubeApiException}s carrying the HTTP status (409 = conflict on create or stale resourceVersion).
 */
public interface KubeApi {
    /** GET {@code path}; empty when the object does not exist (404). */
    Optional<ObjectNode> get(String path);

    /** POST {@code object} to the collection {@code collectionPath}; 409 when the name is taken. */
    ObjectNode create(String collectionPath, ObjectNode object);

    /** PUT {@code object} at {@code path}; 409 when its metadata.resourceVersion is no longer current. */
    ObjectNode update(String path, ObjectNode object);

    /** DELETE {@code path}; false when the object did not exist (404). */
    boolean delete(String path);
}
