package io.stocksync.testkit.ebay;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/** A small element tree parsed with StAX, DTDs and external entities disabled. */
final class TradingXml {
  private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

  static {
    FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
  }

  private TradingXml() {}

  /** One element: its local name, namespace, text and child elements. */
  record Element(String name, @Nullable String namespace, String text, List<Element> children) {
    @Nullable Element child(String childName) {
      for (Element e : children) {
        if (e.name.equals(childName)) {
          return e;
        }
      }
      return null;
    }

    List<Element> children(String childName) {
      List<Element> out = new ArrayList<>();
      for (Element e : children) {
        if (e.name.equals(childName)) {
          out.add(e);
        }
      }
      return out;
    }

    @Nullable String text(String childName) {
      Element e = child(childName);
      return e == null ? null : e.text.strip();
    }
  }

  /** Parses a document; throws IllegalArgumentException naming the problem. */
  static Element parse(String xml) {
    try {
      XMLStreamReader r;
      synchronized (FACTORY) {
        r = FACTORY.createXMLStreamReader(new StringReader(xml));
      }
      try {
        while (r.hasNext()) {
          if (r.next() == XMLStreamConstants.START_ELEMENT) {
            return element(r);
          }
        }
        throw new IllegalArgumentException("no root element");
      } finally {
        r.close();
      }
    } catch (XMLStreamException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Element element(XMLStreamReader r) throws XMLStreamException {
    String name = r.getLocalName();
    String ns = r.getNamespaceURI();
    StringBuilder text = new StringBuilder();
    List<Element> children = new ArrayList<>();
    while (r.hasNext()) {
      int event = r.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        children.add(element(r));
      } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
        text.append(r.getText());
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        break;
      }
    }
    return new Element(name, ns, text.toString(), List.copyOf(children));
  }
}
