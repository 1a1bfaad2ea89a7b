/// The code units the grammar names.
enum PatternCharacter {
    static let backslash: UInt16 = 0x5C
    static let caret: UInt16 = 0x5E
    static let dollar: UInt16 = 0x24
    static let dot: UInt16 = 0x2E
    static let star: UInt16 = 0x2A
    static let plus: UInt16 = 0x2B
    static let question: UInt16 = 0x3F
    static let bar: UInt16 = 0x7C
    static let openParen: UInt16 = 0x28
    static let closeParen: UInt16 = 0x29
    static let openBracket: UInt16 = 0x5B
    static let closeBracket: UInt16 = 0x5D
    static let openBrace: UInt16 = 0x7B
    static let closeBrace: UInt16 = 0x7D
    static let comma: UInt16 = 0x2C
    static let colon: UInt16 = 0x3A
    static let equals: UInt16 = 0x3D
    static let bang: UInt16 = 0x21
    static let less: UInt16 = 0x3C
    static let greater: UInt16 = 0x3E
    static let dash: UInt16 = 0x2D
    static let b: UInt16 = 0x62
    static let capitalB: UInt16 = 0x42
    static let c: UInt16 = 0x63
    static let k: UInt16 = 0x6B
    static let u: UInt16 = 0x75
    static let x: UInt16 = 0x78
    static let zero: UInt16 = 0x30
    static let underscore: UInt16 = 0x5F
}
