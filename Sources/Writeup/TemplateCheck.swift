/// Finds the tags of a Mustache template that would render as nothing: a variable whose value is
/// missing or nil, or a section whose name no object on the context stack has. Mustache itself
/// renders both silently as empty text, so a renamed field would blank a sentence unnoticed.
///
/// It follows swift-mustache's lookup: a name is searched from the innermost object outwards,
/// through stored properties (Mirror) and `[String: …]` keys; a dotted name descends from there.
/// Sections are followed as rendering would: a true or non-empty one is checked inside (an array
/// once per element), a false, nil or empty one is skipped; inverted sections the other way round.
enum TemplateCheck {
    /// "{{training.rows}}" for each tag that resolves to nothing, in order.
    static func unresolvedTags(in text: String, context: Any) throws(WriteupError) -> [String] {
        var problems: [String] = []
        check(try parse(text), stack: [context], problems: &problems)
        var seen = Set<String>()
        return problems.filter { seen.insert($0).inserted }
    }

    indirect enum Node {
        case variable(String)
        case section(String, inverted: Bool, [Node])
    }

    private enum Lookup {
        case missing, null, value(Any)
    }

    private static func check(_ nodes: [Node], stack: [Any], problems: inout [String]) {
        for node in nodes {
            switch node {
            case .variable(let name):
                guard case .value = lookup(name, in: stack) else { problems.append("{{\(name)}}"); continue }
            case .section(let name, let inverted, let children):
                let found = lookup(name, in: stack)
                switch (found, inverted) {
                case (.missing, _): problems.append("{{\(inverted ? "^" : "#")\(name)}}")
                case (.null, true): check(children, stack: stack, problems: &problems)
                case (.null, false): break
                case (.value(let value), _):
                    if let array = value as? [Any] {
                        if inverted, array.isEmpty { check(children, stack: stack, problems: &problems) }
                        if !inverted { for element in array { check(children, stack: stack + [element], problems: &problems) } }
                    } else if let flag = value as? Bool {
                        if flag != inverted { check(children, stack: stack, problems: &problems) }
                    } else if !inverted {
                        check(children, stack: stack + [value], problems: &problems)
                    }
                }
            }
        }
    }

    private static func lookup(_ name: String, in stack: [Any]) -> Lookup {
        if name == "." { return .value(stack.last!) }
        let parts = name.split(separator: ".").map(String.init)
        var sawNil = false
        for object in stack.reversed() {
            switch child(parts[0], of: object) {
            case .missing: continue
            case .null: sawNil = true; continue   // Mustache climbs past a nil, too
            case .value(var value):
                for part in parts.dropFirst() {
                    switch child(part, of: value) {
                    case .missing: return .missing
                    case .null: return .null
                    case .value(let next): value = next
                    }
                }
                return .value(value)
            }
        }
        return sawNil ? .null : .missing
    }

    private static func child(_ name: String, of object: Any) -> Lookup {
        // A dictionary's values are taken as they are: swift-mustache does not unwrap an Optional
        // stored in one, so neither does this (its fields would render as nothing).
        if let dictionary = object as? [String: Any] {
            return dictionary[name].map { .value($0) } ?? .missing
        }
        guard let match = Mirror(reflecting: object).children.first(where: { $0.label == name }) else { return .missing }
        return unwrap(match.value)
    }

    private static func unwrap(_ value: Any) -> Lookup {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return .value(value) }
        return mirror.children.first.map { unwrap($0.value) } ?? .null
    }

    /// The tag tree of a template: `{{name}}`, `{{{name}}}`, `{{&name}}`, `{{#name}}…{{/name}}`,
    /// `{{^name}}…{{/name}}`; comments, pragmas and partials are passed over.
    static func parse(_ text: String) throws(WriteupError) -> [Node] {
        var stack: [(name: String, inverted: Bool, nodes: [Node])] = [("", false, [])]
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let triple = rest[open.upperBound...].hasPrefix("{")
            let bodyStart = triple ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[bodyStart...].range(of: triple ? "}}}" : "}}") else {
                throw WriteupError(description: "a tag opened with {{ is never closed")
            }
            let tag = rest[bodyStart..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            guard let sigil = tag.first else { continue }
            let name = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!", "%", ">", "=": continue
            case "#", "^": stack.append((name, sigil == "^", []))
            case "/":
                guard stack.count > 1, stack.last!.name == name else {
                    throw WriteupError(description: "{{/\(name)}} closes no open section")
                }
                let section = stack.removeLast()
                stack[stack.count - 1].nodes.append(.section(section.name, inverted: section.inverted, section.nodes))
            case "&": stack[stack.count - 1].nodes.append(.variable(name))
            default: stack[stack.count - 1].nodes.append(.variable(tag))
            }
        }
        guard stack.count == 1 else { throw WriteupError(description: "section {{#\(stack.last!.name)}} is never closed") }
        return stack[0].nodes
    }
}
