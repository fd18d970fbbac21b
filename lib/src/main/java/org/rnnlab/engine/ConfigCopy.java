package org.rnnlab.engine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Copies a built DL4J layer configuration into this library's subclass of it, field by field, so
 * that {@code FastLSTM.Builder} can reuse everything DL4J's builder sets (whose constructor from a
 * builder is private) and differ only in the layer it instantiates.
 */
final class ConfigCopy {

    private ConfigCopy() {}

    /** Copies every instance field {@code source}'s class and its superclasses declare into {@code target}. */
    static <T> T into(Object source, T target) {
        for (Class<?> c = source.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            if (!c.isInstance(target)) {
                throw new IllegalArgumentException(target.getClass().getName() + " is not a " + c.getName());
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(target, f.get(source));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot copy " + c.getSimpleName() + "." + f.getName(), e);
                }
            }
        }
        return target;
    }
}
