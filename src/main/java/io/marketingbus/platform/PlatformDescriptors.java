package io.marketingbus.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Every {@link PlatformDescriptor} on the class path, found once. */
public final class PlatformDescriptors {

    private static final List<PlatformDescriptor> ALL = load();

    private PlatformDescriptors() {
    }

    public static List<PlatformDescriptor> all() {
        return ALL;
    }

    /** Every API of every platform. */
    public static List<PlatformApi> apis() {
        List<PlatformApi> apis = new ArrayList<>();
        ALL.forEach(d -> apis.addAll(d.apis()));
        return apis;
    }

    /** Every setting of every platform. */
    public static List<Setting> settings() {
        List<Setting> settings = new ArrayList<>();
        ALL.forEach(d -> settings.addAll(d.settings()));
        return settings;
    }

    private static List<PlatformDescriptor> load() {
        List<PlatformDescriptor> found = new ArrayList<>();
        ServiceLoader.load(PlatformDescriptor.class, PlatformDescriptors.class.getClassLoader()).forEach(found::add);
        found.sort(java.util.Comparator.comparing(PlatformDescriptor::name));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (PlatformDescriptor d : found) {
            if (!names.add(d.name())) {
                throw new IllegalStateException("two platform descriptors named " + d.name());
            }
        }
        return List.copyOf(found);
    }
}
