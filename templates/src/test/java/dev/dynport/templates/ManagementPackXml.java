package dev.dynport.templates;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/** Small DOM helpers over an unsealed SCOM management pack; parsing refuses DTDs and external entities. */
final class ManagementPackXml {
    private ManagementPackXml() {
    }

    static Document parse(Path file) throws IOException, SAXException, ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(true);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        try (InputStream in = Files.newInputStream(file)) {
            return b.parse(in);
        }
    }

    static List<Element> elements(Node scope, String tag) {
        NodeList list = scope instanceof Document d ? d.getElementsByTagName(tag) : ((Element) scope).getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + " ID=" + parent.getAttribute("ID") + "> has no <" + tag + ">");
    }

    static List<String> childTags(Element parent) {
        List<String> tags = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                tags.add(e.getTagName());
            }
        }
        return tags;
    }

    /** The patterns of every {@code RegExExpression} on {@code field} with {@code operator}, in document order. */
    static List<String> regexPatterns(Element scope, String field, String operator) {
        List<String> patterns = new ArrayList<>();
        for (Element re : elements(scope, "RegExExpression")) {
            if (elements(re, "XPathQuery").get(0).getTextContent().trim().equals(field)
                    && child(re, "Operator").getTextContent().trim().equals(operator)) {
                patterns.add(child(re, "Pattern").getTextContent());
            }
        }
        return patterns;
    }

    /**
     * The values compared with an event field in an expression: every {@code SimpleExpression} whose left side is
     * {@code <XPathQuery>field</XPathQuery>} contributes its right-hand {@code <Value>}.
     */
    static Set<String> comparedValues(Element scope, String field) {
        Set<String> values = new LinkedHashSet<>();
        for (Element simple : elements(scope, "SimpleExpression")) {
            List<Element> sides = elements(simple, "ValueExpression");
            if (sides.size() != 2) {
                throw new AssertionError("SimpleExpression without two ValueExpressions");
            }
            List<Element> query = elements(sides.get(0), "XPathQuery");
            if (!query.isEmpty() && query.get(0).getTextContent().trim().equals(field)) {
                values.add(elements(sides.get(1), "Value").get(0).getTextContent().trim());
            }
        }
        return values;
    }
}
