package dev.drllm.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ExpressionFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jinjava made to evaluate as Jinja2 does where chat templates can tell the difference: values
 * print and concatenate as Python's {@code str()}, {@code +} and {@code ==} follow Python's types,
 * the filters and tests are Jinja2's (an unknown one is an error, not an empty string), and
 * transformers' {@code {% generation %}} tag exists. Each behaviour is checked against Jinja2 by
 * ChatTemplateCorpusTest and PyCompatTest.
 */
final class PyEnvironment {
    private PyEnvironment() {}

    /** Jinjava with Python's string conversion and operators in its expression language. */
    static final class PyJinjava extends Jinjava {
        private final ExpressionFactory factory = new ExpressionFactoryImpl(new TreeStore(new PyBuilder(), new Cache(1000)), new PyTypeConverter());

        PyJinjava(JinjavaConfig config) { super(config); }

        @Override public ExpressionFactory getExpressionFactory() { return factory; }
    }

    static final PyTypeConverter CONVERTER = new PyTypeConverter();

    /** Conversions as Python makes them: str() for text ({@code ~}, filters), Python truthiness. */
    static final class PyTypeConverter extends TruthyTypeConverter {
        @Override protected String coerceToString(Object value) { return PyValues.str(value); }

        @Override protected Boolean coerceToBoolean(Object value) { return PyValues.truthy(value); }
    }

    /** The expression parser with Python's {@code +}, {@code ==} and {@code !=}. */
    static final class PyBuilder extends com.hubspot.jinjava.el.ExtendedSyntaxBuilder {
        // what Jinjava's expression factory enables (the JEE6 profile): method calls and varargs
        PyBuilder() { super(Builder.Feature.METHOD_INVOCATIONS, Builder.Feature.VARARGS); }

        @Override
        protected Parser createParser(String expression) {
            return new ExtendedParser(this, expression) {
                /** A filter or test Jinja2 does not have fails where it is used (Jinjava has dozens more). */
                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier createAstIdentifier(String name, int index) {
                    String kind = name.startsWith("filter:") ? "filter" : name.startsWith("exptest:") ? "test" : null;
                    String bare = kind == null ? name : name.substring(name.indexOf(':') + 1);
                    if (kind != null && !(kind.equals("filter") ? JINJA2_FILTERS : JINJA2_TESTS).contains(bare)) {
                        return new jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier(name, index) {
                            @Override
                            public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context) {
                                throw new PyValues.PyError("TemplateAssertionError: No " + kind + " named '" + bare + "'.");
                            }
                        };
                    }
                    return super.createAstIdentifier(name, index);
                }

                /** {@code x.name} / {@code x[key]} on undefined x raises, as Jinja2's Undefined does (Jinjava gave null). */
                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstDot createAstDot(AstNode prefix, String name, boolean lvalue) {
                    return super.createAstDot(prefix instanceof jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier id && id.getName().contains(":")
                            ? prefix : new Defined(prefix), name, lvalue);
                }

                @Override
                protected jinjava.de.odysseus.el.tree.impl.ast.AstBracket createAstBracket(AstNode base, AstNode property, boolean lvalue, boolean strict) {
                    return super.createAstBracket(new Defined(base), property, lvalue, strict);
                }

                /** Python's {@code in} and {@code not in}. */
                @Override
                protected ExtensionHandler getExtensionHandler(jinjava.de.odysseus.el.tree.impl.Scanner.Token token) {
                    if ("in".equals(token.getImage())) return IN_HANDLER;
                    if ("not in".equals(token.getImage())) return NOT_IN_HANDLER;
                    return super.getExtensionHandler(token);
                }

                @Override
                protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
                    if (operator == AdditionOperator.OP) operator = ADD;
                    else if (operator == AstBinary.EQ) operator = EQ;
                    else if (operator == AstBinary.NE) operator = NE;
                    else if (operator == AstBinary.MUL) operator = MUL;
                    else if (operator == AstBinary.AND) operator = AND;
                    else if (operator == AstBinary.SUB) operator = arithmetic("-", NumberOperations::sub);
                    else if (operator == AstBinary.DIV) operator = arithmetic("/", NumberOperations::div);
                    else if (operator == AstBinary.MOD) operator = arithmetic("%", NumberOperations::mod);
                    else if (operator == com.hubspot.jinjava.el.ext.OrOperator.OP || operator == AstBinary.OR) operator = OR;
                    return super.createAstBinary(left, right, operator);
                }
            };
        }
    }

    /** The base of an attribute or item access: undefined there is an error (UndefinedError in Jinja2). */
    static final class Defined extends jinjava.de.odysseus.el.tree.impl.ast.AstRightValue {
        private final AstNode inner;

        Defined(AstNode inner) { this.inner = inner; }

        @Override
        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context) {
            Object v = inner.eval(bindings, context);
            if (v == null) {
                StringBuilder sb = new StringBuilder();
                inner.appendStructure(sb, bindings);
                throw new PyValues.PyError("UndefinedError: '" + sb + "' is undefined");
            }
            return v;
        }

        @Override public void appendStructure(StringBuilder b, jinjava.de.odysseus.el.tree.Bindings bindings) { inner.appendStructure(b, bindings); }

        @Override public int getCardinality() { return 1; }

        @Override public AstNode getChild(int i) { return i == 0 ? inner : null; }

        @Override public String toString() { return inner.toString(); }
    }

    private static final Parser.ExtensionHandler IN_HANDLER = new Parser.ExtensionHandler(Parser.ExtensionPoint.CMP) {
        @Override public AstNode createAstNode(AstNode... children) { return new AstBinary(children[0], children[1], IN); }
    };

    private static final Parser.ExtensionHandler NOT_IN_HANDLER = new Parser.ExtensionHandler(Parser.ExtensionPoint.CMP) {
        @Override public AstNode createAstNode(AstNode... children) { return new AstBinary(children[0], children[1], NOT_IN); }
    };

    private static final AstBinary.Operator IN = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return contains(b, a); }

        @Override public String toString() { return "in"; }
    };

    private static final AstBinary.Operator NOT_IN = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return !contains(b, a); }

        @Override public String toString() { return "not in"; }
    };

    /** Python's {@code item in container}; undefined contains nothing. */
    static boolean contains(Object container, Object item) {
        if (container == null) return false;
        if (container instanceof String || container instanceof SafeString) {
            if (!(item instanceof String || item instanceof SafeString))
                throw new PyValues.PyError("TypeError: 'in <string>' requires string as left operand, not " + PyValues.typeName(item));
            return container.toString().contains(item.toString());
        }
        if (container instanceof Map<?, ?> m) {
            if (item instanceof String && m.containsKey(item)) return true;
            for (Object k : m.keySet()) if (PyValues.pyEquals(k, item)) return true;
            return false;
        }
        if (container instanceof Iterable<?> it) {
            for (Object o : it) if (PyValues.pyEquals(o, item)) return true;
            return false;
        }
        throw new PyValues.PyError("TypeError: argument of type '" + PyValues.typeName(container) + "' is not iterable");
    }

    private static final AstBinary.Operator ADD = new AdditionOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a == null || b == null) throw new PyValues.PyError("UndefinedError: an undefined value used with +");
            boolean sa = a instanceof String || a instanceof SafeString, sb = b instanceof String || b instanceof SafeString;
            if (sa || sb) {
                if (!(sa && sb)) {
                    throw new PyValues.PyError(sa ? "TypeError: can only concatenate str (not \"" + PyValues.typeName(b) + "\") to str"
                            : "TypeError: unsupported operand type(s) for +: '" + PyValues.typeName(a) + "' and 'str'");
                }
                // markupsafe: Markup + str escapes the str, and the result is Markup
                if (a instanceof SafeString && !(b instanceof SafeString)) return new SafeString(a + escape(b.toString()));
                if (b instanceof SafeString && !(a instanceof SafeString)) return new SafeString(escape(a.toString()) + b);
                if (a instanceof SafeString) return new SafeString(a.toString() + b);
                return super.apply(converter, a, b);
            }
            if (a instanceof Collection<?> != b instanceof Collection<?> || a == PyValues.NONE || b == PyValues.NONE
                    || a instanceof Map<?, ?> || b instanceof Map<?, ?>) {
                throw new PyValues.PyError("TypeError: unsupported operand type(s) for +: '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
            }
            return super.apply(converter, a, b);
        }
    };

    /** Python's {@code and}: the first falsy operand or the last, evaluated left to right, short-circuit. */
    private static final AstBinary.Operator AND = new AstBinary.Operator() {
        @Override
        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context, AstNode left, AstNode right) {
            Object l = left.eval(bindings, context);
            return PyValues.truthy(l) ? right.eval(bindings, context) : l;
        }

        @Override public String toString() { return "and"; }
    };

    /** Python's {@code or}: the first truthy operand or the last. */
    private static final AstBinary.Operator OR = new AstBinary.Operator() {
        @Override
        public Object eval(jinjava.de.odysseus.el.tree.Bindings bindings, jinjava.javax.el.ELContext context, AstNode left, AstNode right) {
            Object l = left.eval(bindings, context);
            return PyValues.truthy(l) ? l : right.eval(bindings, context);
        }

        @Override public String toString() { return "or"; }
    };

    private interface NumberOp {
        Number apply(TypeConverter converter, Object a, Object b);
    }

    /** A numeric operator that, as Python, refuses undefined, None, strings and containers instead of reading them as 0. */
    private static AstBinary.Operator arithmetic(String symbol, NumberOp op) {
        return new AstBinary.SimpleOperator() {
            @Override
            protected Object apply(TypeConverter converter, Object a, Object b) {
                if (a == null || b == null) throw new PyValues.PyError("UndefinedError: an undefined value used with " + symbol);
                if (!PyValues.isNumeric(a) || !PyValues.isNumeric(b))
                    throw new PyValues.PyError("TypeError: unsupported operand type(s) for " + symbol + ": '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
                return op.apply(converter, a, b);
            }

            @Override public String toString() { return symbol; }
        };
    }

    /** Python's {@code *}: a string or list times an int repeats it. */
    private static final AstBinary.Operator MUL = new AstBinary.SimpleOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a == null || b == null) throw new PyValues.PyError("UndefinedError: an undefined value used with *");
            if (a instanceof Number && !(b instanceof Number)) { Object t = a; a = b; b = t; }
            if ((a instanceof String || a instanceof List<?>) && (b instanceof Long || b instanceof Integer || b instanceof Boolean)) {
                long times = b instanceof Boolean bool ? (bool ? 1 : 0) : ((Number) b).longValue();
                times = Math.max(0, times);
                long size = a instanceof String str ? str.length() : ((List<?>) a).size();
                if (size * times > PythonMethods.MAX_CHARS) throw new PyValues.PyError("repeated sequence of " + size * times + " exceeds " + PythonMethods.MAX_CHARS);
                if (a instanceof String str) return str.repeat((int) times);
                List<Object> out = new ArrayList<>();
                for (long i = 0; i < times; i++) out.addAll((List<?>) a);
                return out;
            }
            if (a instanceof String || a instanceof Collection<?> || a instanceof Map<?, ?> || a == PyValues.NONE || b == PyValues.NONE)
                throw new PyValues.PyError("TypeError: unsupported operand type(s) for *: '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
            return NumberOperations.mul(converter, a, b);
        }

        @Override public String toString() { return "*"; }
    };

    private static final AstBinary.Operator EQ = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return PyValues.pyEquals(a, b); }

        @Override public String toString() { return "=="; }
    };

    private static final AstBinary.Operator NE = new AstBinary.SimpleOperator() {
        @Override protected Object apply(TypeConverter converter, Object a, Object b) { return !PyValues.pyEquals(a, b); }

        @Override public String toString() { return "!="; }
    };

    /** markupsafe's escape. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&#34;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code {{ x }}} prints Python's {@code str(x)}, never re-rendered (Jinjava's nested interpretation). */
    static final class PyExecutionMode implements ExecutionMode {
        @Override
        public void prepareContext(Context context) {
            context.setExpressionStrategy(new PyExpressionStrategy());
        }
    }

    static final class PyExpressionStrategy implements ExpressionStrategy {
        @Override
        public RenderedOutputNode interpretOutput(ExpressionToken master, JinjavaInterpreter interpreter) {
            Object v = interpreter.resolveELExpression(master.getExpr(), master.getLineNumber());
            return new RenderedOutputNode(PyValues.str(v));
        }
    }

    /**
     * Macros whose undefined arguments still shadow the caller's variables of the same name:
     * Jinjava's scopes skip a null value and found the caller's ({@code render_content(message.content)}
     * with no content rendered the previous message's {@code content}). An empty Optional is
     * Jinjava's own "present but null" (unwrapped to null when read).
     */
    static final class PyMacroTag extends com.hubspot.jinjava.lib.tag.MacroTag {
        @Override
        protected com.hubspot.jinjava.lib.fn.MacroFunction constructMacroFunction(TagNode tagNode, JinjavaInterpreter interpreter, String name,
                java.util.LinkedHashMap<String, Object> argNamesWithDefaults) {
            return new com.hubspot.jinjava.lib.fn.MacroFunction(tagNode.getChildren(), name, argNamesWithDefaults, false,
                    interpreter.getContext(), interpreter.getLineNumber(), interpreter.getPosition()) {
                @Override
                public Object doEvaluate(Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
                    Map<String, Object> args = new java.util.LinkedHashMap<>(argMap);
                    args.replaceAll((k, v) -> v == null ? java.util.Optional.empty() : v);
                    return super.doEvaluate(args, kwargMap, varArgs);
                }
            };
        }
    }

    /** transformers' {@code {% generation %}…{% endgeneration %}}: marks assistant text; renders its body. */
    static final class GenerationTag implements Tag {
        @Override public String getName() { return "generation"; }

        @Override public String getEndTagName() { return "endgeneration"; }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder sb = new StringBuilder();
            for (Node child : tagNode.getChildren()) sb.append(child.render(interpreter).getValue());
            return sb.toString();
        }
    }

    /** Jinja2 3.1's built-in filters (and transformers' tojson): any other name is an error. */
    static final Set<String> JINJA2_FILTERS = Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d", "default",
            "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int",
            "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "random", "reject", "rejectattr",
            "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum",
            "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr");

    /** Jinja2 3.1's built-in tests. */
    static final Set<String> JINJA2_TESTS = Set.of("boolean", "callable", "defined", "divisibleby", "eq", "escaped", "even",
            "false", "filter", "float", "ge", "gt", "in", "integer", "iterable", "le", "lower", "lt", "mapping", "ne", "none",
            "number", "odd", "sameas", "sequence", "string", "test", "true", "undefined", "upper", "==", "!=", ">", ">=", "<",
            "<=", "equalto", "greaterthan", "lessthan");

    /** Registers the Python filters over Jinjava's where they differ. */
    static void registerFilters(Jinjava jinjava) {
        for (String name : List.of("map", "select", "reject", "selectattr", "rejectattr")) {
            Filter original = jinjava.getGlobalContext().getFilter(name);
            jinjava.registerFilter(new AdvancedFilter() {
                @Override public String getName() { return name; }

                @Override
                public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                    Object out = original.filter(var, interpreter, args, kwargs);
                    return out instanceof Collection<?> c ? new PyValues.PyGenerator(c) : out;
                }
            });
        }
        jinjava.registerFilter(simple("items", (v, a) -> {
            if (v == null) return List.of();
            if (!(v instanceof Map<?, ?> m)) throw new PyValues.PyError("TypeError: Can only get item pairs from a mapping.");
            List<Object> out = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.add(new PyValues.PyTuple(e.getKey(), e.getValue()));
            return out;
        }));
        for (String name : List.of("default", "d")) {
            jinjava.registerFilter(new AdvancedFilter() {
                @Override public String getName() { return name; }

                @Override
                public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                    Object dflt = kwargs.containsKey("default_value") ? kwargs.get("default_value") : args.length > 0 ? args[0] : "";
                    boolean bool = PyValues.truthy(kwargs.containsKey("boolean") ? kwargs.get("boolean") : args.length > 1 ? args[1] : false);
                    return var == null || (bool && !PyValues.truthy(var)) ? dflt : var;
                }
            });
        }
        jinjava.registerFilter(new AdvancedFilter() {
            @Override public String getName() { return "sum"; }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                Object attr = kwargs.containsKey("attribute") ? kwargs.get("attribute") : args.length > 0 ? args[0] : null;
                Object total = kwargs.containsKey("start") ? kwargs.get("start") : args.length > 1 ? args[1] : 0L;
                if (var == null) return total;
                if (!(var instanceof Iterable<?> items)) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(var) + "' object is not iterable");
                for (Object o : items) {
                    Object v = attr == null ? o : o instanceof Map<?, ?> m ? m.get(attr) : null;
                    if (!PyValues.isNumeric(v) || !PyValues.isNumeric(total))
                        throw new PyValues.PyError("TypeError: unsupported operand type(s) for +: '" + PyValues.typeName(total) + "' and '" + PyValues.typeName(v) + "'");
                    total = NumberOperations.add(CONVERTER, total, v);
                }
                return total;
            }
        });
        for (String name : List.of("max", "min")) {
            jinjava.registerFilter(new AdvancedFilter() {
                @Override public String getName() { return name; }

                @Override
                public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                    boolean caseSensitive = PyValues.truthy(kwargs.containsKey("case_sensitive") ? kwargs.get("case_sensitive") : args.length > 0 ? args[0] : false);
                    Object attr = kwargs.containsKey("attribute") ? kwargs.get("attribute") : args.length > 1 ? args[1] : null;
                    if (!(var instanceof Iterable<?> items)) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(var) + "' object is not iterable");
                    Object best = null, bestKey = null;
                    for (Object o : items) {
                        Object key = attr == null ? o : o instanceof Map<?, ?> m ? m.get(attr) : null;
                        if (!caseSensitive && key instanceof String str) key = str.toLowerCase(java.util.Locale.ROOT);
                        if (best == null || (name.equals("max") ? compare(key, bestKey) > 0 : compare(key, bestKey) < 0)) { best = o; bestKey = key; }
                    }
                    return best; // undefined for an empty sequence, as Jinja2
                }
            });
        }
        jinjava.registerFilter(new AdvancedFilter() {
            @Override public String getName() { return "round"; }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                int precision = ((Number) (kwargs.containsKey("precision") ? kwargs.get("precision") : args.length > 0 ? args[0] : 0L)).intValue();
                String method = PyValues.str(kwargs.containsKey("method") ? kwargs.get("method") : args.length > 1 ? args[1] : "common");
                if (!PyValues.isNumeric(var)) throw new PyValues.PyError("TypeError: type " + PyValues.typeName(var) + " doesn't define __round__ method");
                java.math.BigDecimal v = PyValues.toBigDecimal(var);
                java.math.RoundingMode mode = switch (method) {
                    case "common" -> java.math.RoundingMode.HALF_EVEN; // Python's round() on the exact binary value
                    case "ceil" -> java.math.RoundingMode.CEILING;
                    case "floor" -> java.math.RoundingMode.FLOOR;
                    default -> throw new PyValues.PyError("FilterArgumentError: method must be common, ceil or floor");
                };
                java.math.BigDecimal r = v.setScale(Math.max(-300, Math.min(precision, 300)), mode);
                // round() keeps an int an int
                boolean isFloat = var instanceof Double || var instanceof Float || var instanceof java.math.BigDecimal;
                return isFloat ? (Object) r.doubleValue() : (Object) r.toBigInteger().longValue();
            }
        });
        jinjava.registerFilter(simple("length", (v, a) -> (long) PyValues.len(v)));
        jinjava.registerFilter(simple("count", (v, a) -> (long) PyValues.len(v)));
        jinjava.registerFilter(simple("string", (v, a) -> v instanceof SafeString ? v : PyValues.str(v)));
        jinjava.registerFilter(simple("trim", (v, a) -> PythonMethods.strip(PyValues.str(v), a.length > 0 && a[0] != null ? PyValues.str(a[0]) : null, true, true)));
        jinjava.registerFilter(new AdvancedFilter() {
            @Override public String getName() { return "indent"; }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                Object w = kwargs.getOrDefault("width", args.length > 0 ? args[0] : 4L);
                boolean first = PyValues.truthy(kwargs.getOrDefault("first", args.length > 1 ? args[1] : false));
                boolean blank = PyValues.truthy(kwargs.getOrDefault("blank", args.length > 2 ? args[2] : false));
                String pad = w instanceof String s ? s : " ".repeat(((Number) w).intValue());
                // Jinja2's do_indent, step by step (a newline added, split, blank lines left alone)
                List<String> lines = PythonMethods.splitlines(PyValues.str(var) + "\n");
                StringBuilder sb = new StringBuilder();
                if (blank) {
                    sb.append(String.join("\n" + pad, lines));
                } else {
                    sb.append(lines.isEmpty() ? "" : lines.get(0));
                    for (int i = 1; i < lines.size(); i++) sb.append('\n').append(lines.get(i).isEmpty() ? "" : pad + lines.get(i));
                }
                return first ? pad + sb : sb.toString();
            }
        });
        jinjava.registerFilter(new AdvancedFilter() {
            @Override public String getName() { return "join"; }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                String sep = PyValues.str(kwargs.getOrDefault("d", args.length > 0 ? args[0] : ""));
                Object attr = kwargs.getOrDefault("attribute", args.length > 1 ? args[1] : null);
                if (var == null) return "";
                Iterable<?> items = var instanceof String s ? s.codePoints().mapToObj(Character::toString).toList()
                        : var instanceof Map<?, ?> m ? m.keySet() : var instanceof Iterable<?> it ? it : null;
                if (items == null) throw new PyValues.PyError("TypeError: '" + PyValues.typeName(var) + "' object is not iterable");
                StringBuilder sb = new StringBuilder();
                boolean firstItem = true;
                for (Object o : items) {
                    if (!firstItem) sb.append(sep);
                    firstItem = false;
                    Object item = attr == null ? o : o instanceof Map<?, ?> m ? m.get(attr) : null;
                    sb.append(PyValues.str(item));
                    if (sb.length() > PythonMethods.MAX_CHARS) throw new PyValues.PyError("join result exceeds " + PythonMethods.MAX_CHARS + " chars");
                }
                return sb.toString();
            }
        });
    }

    /** Python's ordering for the values max/min/sort meet: numbers by value, strings by code point. */
    static int compare(Object a, Object b) {
        if (PyValues.isNumeric(a) && PyValues.isNumeric(b)) return PyValues.toBigDecimal(a).compareTo(PyValues.toBigDecimal(b));
        if (a instanceof String x && b instanceof String y) return x.compareTo(y);
        throw new PyValues.PyError("TypeError: '<' not supported between instances of '" + PyValues.typeName(a) + "' and '" + PyValues.typeName(b) + "'");
    }

    private interface SimpleFilter {
        Object apply(Object var, Object[] args);
    }

    private static Filter simple(String name, SimpleFilter f) {
        return new AdvancedFilter() {
            @Override public String getName() { return name; }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                return f.apply(var, args);
            }
        };
    }

    /** Raised at a filter or test Jinja2 does not have (Jinjava has dozens more). */
    static InterpretException unknown(String kind, String name) {
        return new InterpretException("No " + kind + " named '" + name + "'.");
    }
}
