package io.kubestead.agent.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kube-apiserver stand-in for tests: objects by path with the API server's optimistic concurrency — every
 * write bumps resourceVersion, create of an existing name and update with a stale resourceVersion get 409.
 */
public final class FakeKubeApi implements KubeApi {
    private final Map<String, ObjectNode> objects = new HashMap<>();
    private long version = 100;
    private int writes;

    @Override
    public synchronized Optional<ObjectNode> get(String path) {
        return Optional.ofNullable(objects.get(path)).map(ObjectNode::deepCopy);
    }

    @Override
    public synchronized ObjectNode create(String collectionPath, ObjectNode object) {
        String path = collectionPath + "/" + object.path("metadata").path("name").asText();
        if (objects.containsKey(path)) {
            throw new KubeApiException(409, "POST " + collectionPath + ": HTTP 409: already exists");
        }
        return store(path, object);
    }

    @Override
    public synchronized ObjectNode update(String path, ObjectNode object) {
        ObjectNode current = objects.get(path);
        if (current == null) {
            throw new KubeApiException(404, "PUT " + path + ": HTTP 404: not found");
        }
        String expected = current.path("metadata").path("resourceVersion").asText();
        if (!expected.equals(object.path("metadata").path("resourceVersion").asText())) {
            throw new KubeApiException(409, "PUT " + path + ": HTTP 409: the object has been modified");
        }
        return store(path, object);
    }

    @Override
    public synchronized boolean delete(String path) {
        writes++;
        return objects.remove(path) != null;
    }

    /** Puts an answer at a path as is (a list, a page of one), for readers of collections. */
    public synchronized void put(String path, ObjectNode answer) {
        objects.put(path, answer.deepCopy());
    }

    public synchronized int writes() {
        return writes;
    }

    private ObjectNode store(String path, ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        ((ObjectNode) copy.path("metadata")).put("resourceVersion", Long.toString(++version));
        objects.put(path, copy);
        writes++;
        return copy.deepCopy();
    }
}
