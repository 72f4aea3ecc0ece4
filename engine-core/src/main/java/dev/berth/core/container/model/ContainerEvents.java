package dev.berth.core.container.model;

import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes container events with the attributes dockerd gives them: image, name and labels. */
public final class ContainerEvents {

  private final EventBus bus;

  public ContainerEvents(EventBus bus) {
    this.bus = bus;
  }

  public void emit(Container c, String action) {
    emit(c, action, Map.of());
  }

  public void emit(Container c, String action, Map<String, String> extra) {
    var attributes = new LinkedHashMap<>(c.config().labels());
    attributes.put("image", c.config().image());
    attributes.put("name", c.name().value());
    attributes.putAll(extra);
    bus.publish(EngineEvent.Type.CONTAINER, action, c.id().hex(), attributes);
  }

  public EventBus bus() {
    return bus;
  }
}
